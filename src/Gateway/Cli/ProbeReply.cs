using Gateway.Protocol.Client;

namespace Gateway.Cli;

/// <summary>One SMTP reply as the server sent it: the code and every line, continuation marks included.</summary>
internal sealed record ProbeReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 300;

    /// <summary>RFC 5321 §4.1.1.1: each EHLO line after the first names one extension, keyword first.</summary>
    public bool Advertises(string keyword) =>
        Lines.Skip(1).Any(l => l.Length > 4 && l[4..].Split(' ')[0].Equals(keyword, StringComparison.OrdinalIgnoreCase));

    /// <summary>RFC 5321 §4.2.1: true for the last line ("250 …" or "250"), false for "250-…", null for anything else.</summary>
    public static bool? Classify(string line) =>
        line.Length < 3 || !line[..3].All(char.IsAsciiDigit) ? null
        : line.Length == 3 || line[3] == ' ' ? true
        : line[3] == '-' ? false
        : null;

    /// <summary>UTF-8 as far as it goes; control characters as \xHH so a hostile server cannot drive the terminal.</summary>
    public static string Printable(byte[] line) => PrintableText.From(line);
}
