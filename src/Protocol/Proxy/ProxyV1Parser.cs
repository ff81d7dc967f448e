using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Protocol.Proxy;

/// <summary>The human-readable header, "PROXY TCP4|TCP6|UNKNOWN src dst sport dport\r\n" (§2.1).</summary>
internal static class ProxyV1Parser
{
    /// <summary>§2.1: the worst case, "PROXY UNKNOWN" with two full IPv6 addresses and ports, CRLF included.</summary>
    public const int MaxLength = 107;

    private static ReadOnlySpan<byte> Preamble => "PROXY "u8;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    public static ProxyParseResult Parse(ReadOnlySpan<byte> received)
    {
        var preamble = received[..Math.Min(received.Length, Preamble.Length)];
        var mismatch = preamble.CommonPrefixLength(Preamble);
        if (mismatch < preamble.Length)
        {
            return Refuse.At(mismatch, preamble[mismatch], "v1: the line does not start with \"PROXY \"");
        }

        var window = received[..Math.Min(received.Length, MaxLength)];
        var end = window.IndexOf(Crlf);
        var line = end < 0 ? window : window[..end];
        if (ProxyV1Syntax.FirstError(line, complete: end >= 0) is { } early)
        {
            return early;
        }

        if (end < 0)
        {
            // §2.1: no CRLF in the first 107 characters makes the line invalid.
            return window.Length >= MaxLength
                ? Refuse.With($"v1: no CRLF within the first {MaxLength} bytes")
                : ProxyParseResult.NeedMore.Instance;
        }

        return Decode(line, end + Crlf.Length);
    }

    private static ProxyParseResult Decode(ReadOnlySpan<byte> line, int consumed)
    {
        Span<char> text = stackalloc char[line.Length];
        Encoding.ASCII.GetChars(line, text);
        Span<Range> fields = stackalloc Range[7];
        var count = ((ReadOnlySpan<char>)text).Split(fields, ' ');
        var protocol = text[fields[1]];

        // §2.1: for UNKNOWN the receiver ignores the rest of the line and uses the socket's addresses.
        if (protocol.SequenceEqual("UNKNOWN"))
        {
            return new ProxyParseResult.Done(new ProxyHeader.Local(1), consumed);
        }

        if (count != 6)
        {
            return Refuse.With($"v1: {protocol} needs 4 fields after it separated by single spaces, the line has {count - 2}");
        }

        var family = protocol.SequenceEqual("TCP4") ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        var source = Address(text[fields[2]], family);
        var destination = Address(text[fields[3]], family);
        var sourcePort = Port(text[fields[4]]);
        var destinationPort = Port(text[fields[5]]);
        return (source, destination, sourcePort, destinationPort) switch
        {
            (null, _, _, _) => Refuse.With($"v1: the source address is not a {protocol} address in canonical form"),
            (_, null, _, _) => Refuse.With($"v1: the destination address is not a {protocol} address in canonical form"),
            (_, _, null, _) => Refuse.With("v1: the source port is not a decimal 0-65535 without leading zeros"),
            (_, _, _, null) => Refuse.With("v1: the destination port is not a decimal 0-65535 without leading zeros"),
            _ => new ProxyParseResult.Done(
                new ProxyHeader.Proxied(1, new IPEndPoint(source, sourcePort.Value), new IPEndPoint(destination, destinationPort.Value), ProxyTlvs.None),
                consumed),
        };
    }

    private static IPAddress? Address(ReadOnlySpan<char> text, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            return DottedQuad(text);
        }

        // IPAddress.TryParse also takes brackets and %scope; the charset check already kept them out, and an
        // IPv4 text must not pass for TCP6 (§2.1: "the advertised protocol family dictates what format to use").
        return IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? address
            : null;
    }

    /// <summary>
    /// §2.1: exactly 4 decimal integers 0-255 separated by single dots, no leading zeros (which would read as
    /// octal elsewhere). IPAddress.TryParse is too lenient here: it takes "10.1", "0x0a.0.0.1" and "010.0.0.1".
    /// </summary>
    private static IPAddress? DottedQuad(ReadOnlySpan<char> text)
    {
        Span<byte> octets = stackalloc byte[4];
        Span<Range> parts = stackalloc Range[5];
        if (text.Split(parts, '.') != 4)
        {
            return null;
        }

        for (var i = 0; i < 4; i++)
        {
            if (Decimal(text[parts[i]], maxDigits: 3) is not { } value || value > byte.MaxValue)
            {
                return null;
            }

            octets[i] = (byte)value;
        }

        return new IPAddress(octets);
    }

    private static int? Port(ReadOnlySpan<char> text) => Decimal(text, maxDigits: 5) is { } port && port <= ushort.MaxValue ? port : null;

    private static int? Decimal(ReadOnlySpan<char> text, int maxDigits)
    {
        if (text.IsEmpty || text.Length > maxDigits || (text.Length > 1 && text[0] == '0'))
        {
            return null;
        }

        var value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
