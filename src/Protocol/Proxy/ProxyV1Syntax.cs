namespace Gateway.Protocol.Proxy;

/// <summary>
/// Checks a v1 line, whole or still arriving, for the first byte that can begin no valid line, so a bad header
/// is refused as soon as that byte arrives (§2.1: "abort the connection as soon as possible").
/// </summary>
internal static class ProxyV1Syntax
{
    private const int ProtocolStart = 6;

    /// <summary>After "PROXY ": the protocol and four fields, so four single spaces at most.</summary>
    private const int MaxSpaces = 4;

    private static readonly string[] Protocols = ["TCP4", "TCP6", "UNKNOWN"];

    /// <param name="line">The bytes before the CRLF, or all received bytes (at most 107) when none yet.</param>
    /// <param name="complete">The CRLF followed <paramref name="line"/>.</param>
    public static ProxyParseResult.Refused? FirstError(ReadOnlySpan<byte> line, bool complete)
    {
        var spaces = 0;
        for (var i = ProtocolStart; i < line.Length; i++)
        {
            var b = line[i];
            var pendingCr = b == '\r' && !complete && i == line.Length - 1;
            if (b == '\n' || (b == '\r' && !pendingCr))
            {
                // §2.1: "must not tolerate a single CR or LF character to end the line".
                return Refuse.At(i, b, "v1: a CR or LF that is not part of the final CRLF");
            }

            if (!pendingCr && b is < 0x20 or > 0x7E)
            {
                return Refuse.At(i, b, "v1: a byte that is not printable US-ASCII");
            }

            spaces += b == ' ' ? 1 : 0;
        }

        var token = line.Length > ProtocolStart ? line[ProtocolStart..] : [];
        if (!complete && token.EndsWith("\r"u8))
        {
            token = token[..^1];
        }

        var protocol = Protocol(token, complete);
        if (protocol is null)
        {
            return Refuse.With("v1: the protocol is not TCP4, TCP6 or UNKNOWN");
        }

        return protocol == "UNKNOWN" ? null : AddressFields(token, protocol, spaces);
    }

    /// <summary>The protocol <paramref name="token"/> names or can still become; null when none.</summary>
    private static string? Protocol(ReadOnlySpan<byte> token, bool complete)
    {
        foreach (var name in Protocols)
        {
            var known = token.Length <= name.Length
                ? Ascii(name).StartsWith(token) && (!complete || token.Length == name.Length)
                : token.StartsWith(Ascii(name)) && token[name.Length] == ' ';
            if (known)
            {
                return name;
            }
        }

        return null;
    }

    private static ProxyParseResult.Refused? AddressFields(ReadOnlySpan<byte> token, string protocol, int spaces)
    {
        if (spaces > MaxSpaces)
        {
            return Refuse.With($"v1: a fifth field after {protocol}, which has exactly four");
        }

        for (var i = protocol.Length; i < token.Length; i++)
        {
            var b = token[i];
            if (b == ' ' && token[i - 1] == ' ')
            {
                return Refuse.At(ProtocolStart + i, b, "v1: fields must be separated by exactly one space");
            }

            var allowed = b is (byte)' ' or (>= (byte)'0' and <= (byte)'9') or (byte)'.'
                || (protocol == "TCP6" && (b is (byte)':' || char.IsAsciiHexDigit((char)b)));
            if (!allowed)
            {
                return Refuse.At(ProtocolStart + i, b, $"v1: a byte that cannot be part of a {protocol} address or a port");
            }
        }

        return null;
    }

    private static ReadOnlySpan<byte> Ascii(string name) => name switch
    {
        "TCP4" => "TCP4"u8,
        "TCP6" => "TCP6"u8,
        _ => "UNKNOWN"u8,
    };
}
