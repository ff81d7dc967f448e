using System.Text.RegularExpressions;

namespace Gateway.Actors.Tests.Support;

/// <summary>One reply as it arrived on the wire: its code, the text after the code on each line, and the raw text.</summary>
public sealed partial record WireReply(int Code, IReadOnlyList<string> Lines, string Wire)
{
    /// <summary>The RFC 3463 enhanced status of the last line, or null when the reply carries none.</summary>
    public string? Status => StatusPattern().Match(Lines[^1]) is { Success: true } m ? m.Groups[1].Value : null;

    public override string ToString() => Wire;

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3}) ")]
    private static partial Regex StatusPattern();
}
