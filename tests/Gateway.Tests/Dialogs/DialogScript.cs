using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Dialogs;

/// <summary>
/// One parsed <c>.smtp</c> dialog. Lines:
/// <list type="bullet">
/// <item><c>S: pattern</c> — the next server line; <c>*</c> matches any run of characters. A pattern
/// ending in <c>-*</c> (e.g. <c>250-*</c>) matches every continuation line of that reply, one or more.</item>
/// <item><c>C: text</c> — sent with CRLF appended. <c>B: text</c> — sent as is, no CRLF added.
/// Both understand <c>\r \n \t \\ \xNN</c> and <c>{N*c}</c> (the character c, N times).</item>
/// <item><c>T: closed</c> — the server has closed the connection.</item>
/// <item><c># config: --Key=Value …</c> — switches for the node this dialog runs on.</item>
/// </list>
/// Other <c>#</c> lines and blank lines are comments.
/// </summary>
internal sealed record DialogScript(string Name, IReadOnlyList<string> Switches, IReadOnlyList<DialogStep> Steps)
{
    public static DialogScript Load(string path)
    {
        var switches = new List<string>();
        var steps = new List<DialogStep>();
        var number = 0;
        foreach (var line in File.ReadAllLines(path))
        {
            number++;
            if (line.StartsWith("# config:", StringComparison.Ordinal))
            {
                switches.AddRange(line["# config:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line is "C:" or "B:")
            {
                // An empty line to send: C: sends just CRLF.
                steps.Add(new DialogStep.Send(number, line[0] == 'C' ? "\r\n"u8.ToArray() : []));
                continue;
            }

            if (line.Length < 3 || line[1] != ':' || line[2] != ' ')
            {
                throw new FormatException($"{path}:{number}: expected 'X: …', got '{line}'");
            }

            var text = line[3..];
            steps.Add(line[0] switch
            {
                'S' => new DialogStep.Expect(number, text, Glob(text), text.EndsWith("-*", StringComparison.Ordinal)),
                'C' => new DialogStep.Send(number, Unescape(text + "\\r\\n")),
                'B' => new DialogStep.Send(number, Unescape(text)),
                'T' when text == "closed" => new DialogStep.Closed(number),
                _ => throw new FormatException($"{path}:{number}: unknown step '{line}'"),
            });
        }

        return new DialogScript(Path.GetFileNameWithoutExtension(path), switches, steps);
    }

    private static Regex Glob(string pattern) =>
        new("^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);

    private static byte[] Unescape(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{' && Regex.Match(text[i..], @"^\{(\d+)\*(.)\}") is { Success: true } repeat)
            {
                var count = int.Parse(repeat.Groups[1].Value, CultureInfo.InvariantCulture);
                var unit = Encoding.UTF8.GetBytes(repeat.Groups[2].Value);
                for (var n = 0; n < count; n++)
                {
                    bytes.AddRange(unit);
                }

                i += repeat.Length - 1;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                switch (text[i])
                {
                    case 'r': bytes.Add((byte)'\r'); break;
                    case 'n': bytes.Add((byte)'\n'); break;
                    case 't': bytes.Add((byte)'\t'); break;
                    case 'x':
                        bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 2;
                        break;
                    default: bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString())); break;
                }
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return [.. bytes];
    }
}

internal abstract record DialogStep(int Line)
{
    public sealed record Expect(int Line, string Pattern, Regex Match, bool Continuation) : DialogStep(Line);

    public sealed record Send(int Line, byte[] Bytes) : DialogStep(Line);

    public sealed record Closed(int Line) : DialogStep(Line);
}
