namespace Gateway.Protocol.Client;

/// <summary>
/// One reply as a client receives it (RFC 5321 §4.2): the three-digit code and the text of every line,
/// without the code and the continuation mark. The client side of <see cref="Replies.Reply"/>, which
/// only ever holds replies this gateway builds.
/// </summary>
public sealed record ServerReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>RFC 5321 §4.2.1: 2yz is a positive completion, 3yz an intermediate one (354 to DATA).</summary>
    public int Class => Code / 100;

    /// <summary>RFC 5321 §4.1.1.1: each EHLO line after the first names one extension, keyword first.</summary>
    public bool Advertises(string keyword) =>
        Lines.Skip(1).Any(l => l.Split(' ')[0].Equals(keyword, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => $"{Code} {string.Join(" / ", Lines)}";
}
