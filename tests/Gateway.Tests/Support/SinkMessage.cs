namespace Gateway.Tests.Support;

/// <summary>
/// One mail transaction as Postfix's <c>smtp-sink -d</c> wrote it: the sink's own X- records (what the
/// client said in EHLO, MAIL and RCPT), then the message exactly as received. The sink stores lines with
/// LF endings and undoes dot-stuffing, so <see cref="Content"/> is the message with "\n" line ends.
/// </summary>
internal sealed record SinkMessage(string Raw, string? Helo, string MailArgs, IReadOnlyList<string> RcptArgs, string Content)
{
    private const string SinkReceived = "Received: ";

    /// <summary>The reverse-path from MAIL, without its ESMTP parameters (e.g. <c>&lt;a@example.org&gt;</c>).</summary>
    public string ReversePath => MailArgs.Split(' ')[0];

    /// <summary>The forward-paths from RCPT, without their ESMTP parameters.</summary>
    public IEnumerable<string> ForwardPaths => RcptArgs.Select(a => a.Split(' ')[0]);

    /// <summary>Reads a dump file's text; see smtp-sink(1), "DUMP FILE FORMAT".</summary>
    public static SinkMessage Parse(string raw)
    {
        var lines = raw.Split('\n');
        string? helo = null;
        var mail = "";
        var rcpts = new List<string>();
        var i = 0;
        for (; i < lines.Length && !lines[i].StartsWith(SinkReceived, StringComparison.Ordinal); i++)
        {
            var (name, value) = Field(lines[i]);
            switch (name)
            {
                case "X-Helo-Args": helo = value; break;
                case "X-Mail-Args": mail = value; break;
                case "X-Rcpt-Args": rcpts.Add(value); break;
                default: break;
            }
        }

        // The sink's Received header is three lines ("from", "by ... (smtp-sink)", the date) and ends its records;
        // after the message it writes one more empty line.
        var content = string.Join('\n', lines.Skip(i + 3));
        return new SinkMessage(raw, helo, mail, rcpts, content.EndsWith('\n') ? content[..^1] : content);
    }

    private static (string Name, string Value) Field(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? (line, "") : (line[..colon], line[(colon + 2)..]);
    }
}
