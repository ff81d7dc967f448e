using System.Buffers;

namespace Gateway.Protocol.Proxy;

/// <summary>
/// Reads a PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) from the first bytes of a
/// connection. Stateless and never waits: give it everything received so far; it answers NeedMore, Done with
/// the byte count that was the header (nothing past it is looked at as header), or Refused with a reason.
/// Trust: only call it for a peer in Smtp:ProxyTrustedAddresses (a <see cref="Session.NetworkList"/>); §5: a header from anyone else is a spoof.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>
    /// Default cap on a v2 header, TLVs included. §2.2 allows 16 + 65,535 bytes, but a hostile peer must not make
    /// the node hold 64 KB per connection before the first SMTP byte. 4,096 still fits a header carrying a client
    /// certificate in PP2_SUBTYPE_SSL_CLIENT_CERT; plain headers are 28 (IPv4) or 52 (IPv6) bytes plus TLVs.
    /// </summary>
    public const int DefaultMaxV2Length = 4096;

    /// <summary>Largest v2 header the format can express (§2.2: 16 + a 16-bit length).</summary>
    public const int AbsoluteMaxV2Length = ProxyV2Parser.FixedLength + ushort.MaxValue;

    /// <summary>Smallest cap allowed: a v2 header with a TCP over IPv6 address block and no TLV.</summary>
    public const int MinMaxV2Length = ProxyV2Parser.FixedLength + ProxyV2Parser.Inet6AddressLength;

    /// <summary>Parses the start of <paramref name="received"/>; see the type's summary.</summary>
    /// <param name="maxV2Length">Longest v2 header accepted, in bytes, 16-byte fixed part included.</param>
    public static ProxyParseResult Parse(ReadOnlySequence<byte> received, int maxV2Length = DefaultMaxV2Length)
    {
        CheckCap(maxV2Length);
        if (received.IsSingleSegment)
        {
            return Parse(received.FirstSpan, maxV2Length);
        }

        // Only the part that can be header is copied: the longer of the two formats' limits.
        var window = (int)Math.Min(received.Length, Math.Max(ProxyV1Parser.MaxLength, maxV2Length));
        var copy = new byte[window];
        received.Slice(0, window).CopyTo(copy);
        return Parse(copy, maxV2Length);
    }

    /// <inheritdoc cref="Parse(ReadOnlySequence{byte}, int)"/>
    public static ProxyParseResult Parse(ReadOnlySpan<byte> received, int maxV2Length = DefaultMaxV2Length)
    {
        CheckCap(maxV2Length);
        if (received.IsEmpty)
        {
            return ProxyParseResult.NeedMore.Instance;
        }

        // §2.2 "identifying the protocol version": the first byte already decides, so a client that speaks
        // first ("EHLO", a TLS ClientHello) is refused on its first byte rather than after 107 or 16.
        return received[0] switch
        {
            (byte)'P' => ProxyV1Parser.Parse(received),
            0x0D => ProxyV2Parser.Parse(received, maxV2Length),
            var first => Refuse.At(0, first, "neither a PROXY v1 (\"PROXY \") nor a v2 (\\r\\n\\r\\n\\0\\r\\nQUIT\\n) header"),
        };
    }

    private static void CheckCap(int maxV2Length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxV2Length, MinMaxV2Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxV2Length, AbsoluteMaxV2Length);
    }
}
