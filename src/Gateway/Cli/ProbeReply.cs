namespace Gateway.Cli;

/// <summary>One SMTP reply as the server sent it: the code and every line, continuation marks included.</summary>
internal sealed record ProbeReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 300;

    /// <summary>RFC 5321 §4.1.1.1: each EHLO line after the first names one extension, keyword first.</summary>
    public bool Advertises(string keyword) =>
        Lines.Skip(1).Any(l => l.Length > 4 && l[4..].Split(' ')[0].Equals(keyword, StringComparison.OrdinalIgnoreCase));
}
