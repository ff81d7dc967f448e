namespace Gateway.Protocol.Client;

/// <summary>
/// Builds whole replies from the bytes a server sends, however they are split (RFC 5321 §4.2.1:
/// <c>250-first</c>, <c>250-second</c>, <c>250 last</c>, all with the same code). It never waits: feed
/// bytes with <see cref="Append"/>, take complete replies with <see cref="TryTake"/>. A server is not
/// trusted: lines and replies are capped, and anything that is not a reply line makes the stream
/// <see cref="Malformed"/> for good, since nothing after it can be framed with confidence.
/// </summary>
public sealed class ReplyAssembler(int maxLineLength = ReplyAssembler.DefaultMaxLine, int maxLines = ReplyAssembler.DefaultMaxLines)
{
    /// <summary>RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers send more in EHLO texts.</summary>
    public const int DefaultMaxLine = 4096;

    /// <summary>An EHLO reply has one line per extension; a thousand is far past any real server.</summary>
    public const int DefaultMaxLines = 1000;

    private readonly List<string> _lines = [];
    private byte[] _buffer = new byte[1024];
    private int _start;
    private int _end;
    private int _code = -1;

    /// <summary>Why the stream cannot be framed, or null while it can.</summary>
    public string? Malformed { get; private set; }

    /// <summary>Bytes of the line still being received (lines already taken into an unfinished multi-line reply are not counted).</summary>
    public int Pending => _end - _start;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_buffer.Length - _end < data.Length)
        {
            Compact(data.Length);
        }

        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>The next complete reply, or null if none is complete yet (or the stream is <see cref="Malformed"/>).</summary>
    public ServerReply? TryTake() => Take(onLine: null);

    /// <summary>
    /// As <see cref="TryTake()"/>, and hands <paramref name="onLine"/> each line as the server sent it (code,
    /// continuation mark, text; control characters escaped) as soon as it is framed: a tool that shows the dialog
    /// must show the first lines of a reply the server never finishes, and the line that makes the stream
    /// <see cref="Malformed"/>. A line over the length cap is not shown: the cap exists so that an endless line
    /// is never held or printed. Lines after the reply returned are left for the next call (RFC 3207 §4.2: after
    /// STARTTLS's 220 they may have to be thrown away unseen).
    /// </summary>
    public ServerReply? TryTake(Action<string> onLine)
    {
        ArgumentNullException.ThrowIfNull(onLine);
        return Take(onLine);
    }

    private ServerReply? Take(Action<string>? onLine)
    {
        while (Malformed is null)
        {
            var window = _buffer.AsSpan(_start, _end - _start);
            var lf = window.IndexOf((byte)'\n');
            if (lf < 0)
            {
                // A CR that ends the window may be the line's own CR with its LF still to come: it does not count.
                if (window.Length > maxLineLength && !(window.Length == maxLineLength + 1 && window[^1] == '\r'))
                {
                    Malformed = $"reply line longer than {maxLineLength} bytes";
                }

                return null;
            }

            var line = window[..lf];
            _start += lf + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (Line(line, onLine) is { } reply)
            {
                return reply;
            }
        }

        return null;
    }

    /// <summary>Takes one line; returns the reply it completes, if any.</summary>
    private ServerReply? Line(ReadOnlySpan<byte> line, Action<string>? onLine)
    {
        if (line.Length > maxLineLength)
        {
            Malformed = $"reply line longer than {maxLineLength} bytes";
            return null;
        }

        onLine?.Invoke(PrintableText.From(line));

        // RFC 5321 §4.2: three digits, then a space (last line), a hyphen (more follow) or nothing (last line).
        if (line.Length < 3 || !char.IsAsciiDigit((char)line[0]) || !char.IsAsciiDigit((char)line[1]) || !char.IsAsciiDigit((char)line[2])
            || (line.Length > 3 && line[3] is not ((byte)' ' or (byte)'-')))
        {
            Malformed = $"not a reply line: \"{PrintableText.From(line)}\"";
            return null;
        }

        var code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        if (_code >= 0 && code != _code)
        {
            Malformed = $"reply code changed from {_code} to {code} inside one reply";
            return null;
        }

        _code = code;
        _lines.Add(line.Length > 4 ? PrintableText.From(line[4..]) : "");
        if (line.Length > 3 && line[3] == '-')
        {
            if (_lines.Count >= maxLines)
            {
                Malformed = $"reply longer than {maxLines} lines";
            }

            return null;
        }

        var reply = new ServerReply(code, [.. _lines]);
        _lines.Clear();
        _code = -1;
        return reply;
    }

    private void Compact(int incoming)
    {
        var pending = _end - _start;
        if (_buffer.Length - pending < incoming)
        {
            var larger = new byte[Math.Max(_buffer.Length * 2, pending + incoming)];
            _buffer.AsSpan(_start, pending).CopyTo(larger);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }

        _start = 0;
        _end = pending;
    }
}
