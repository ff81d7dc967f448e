using System.Buffers.Binary;
using System.Net;

namespace Gateway.Protocol.Proxy;

/// <summary>The binary header: signature, version and command, family and protocol, length, addresses, TLVs (§2.2).</summary>
internal static class ProxyV2Parser
{
    public const int FixedLength = 16;
    public const int InetAddressLength = (2 * 4) + (2 * 2);
    public const int Inet6AddressLength = (2 * 16) + (2 * 2);

    private const int VersionCommandAt = 12;
    private const int FamilyAt = 13;
    private const int LengthAt = 14;
    private const byte TcpOverIPv4 = 0x11;
    private const byte TcpOverIPv6 = 0x21;

    private static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static ProxyParseResult Parse(ReadOnlySpan<byte> received, int maxLength)
    {
        var signature = received[..Math.Min(received.Length, Signature.Length)];
        var mismatch = signature.CommonPrefixLength(Signature);
        if (mismatch < signature.Length)
        {
            return Refuse.At(mismatch, signature[mismatch], "v2: bad signature");
        }

        if (received.Length > VersionCommandAt && CheckVersionCommand(received[VersionCommandAt]) is { } badVersion)
        {
            return badVersion;
        }

        var local = received.Length > VersionCommandAt && (received[VersionCommandAt] & 0x0F) == 0;
        if (received.Length > FamilyAt && !local && CheckFamily(received[FamilyAt]) is { } badFamily)
        {
            return badFamily;
        }

        if (received.Length < FixedLength)
        {
            return ProxyParseResult.NeedMore.Instance;
        }

        var total = FixedLength + BinaryPrimitives.ReadUInt16BigEndian(received[LengthAt..]);
        if (CheckLength(total, maxLength, local ? (byte)0 : received[FamilyAt]) is { } badLength)
        {
            return badLength;
        }

        if (received.Length < total)
        {
            return ProxyParseResult.NeedMore.Instance;
        }

        // §2.2 LOCAL: "use the real connection endpoints and discard the protocol block including the family".
        return local
            ? new ProxyParseResult.Done(new ProxyHeader.Local(2), total)
            : Proxied(received[..total]);
    }

    private static ProxyParseResult.Refused? CheckVersionCommand(byte versionCommand) => (versionCommand >> 4, versionCommand & 0x0F) switch
    {
        (not 2, _) => Refuse.At(VersionCommandAt, versionCommand, "v2: the version (high nibble) is not 2"),
        (_, > 1) => Refuse.At(VersionCommandAt, versionCommand, "v2: the command (low nibble) is neither LOCAL (0) nor PROXY (1)"),
        _ => null,
    };

    private static ProxyParseResult.Refused? CheckFamily(byte familyProtocol) => (familyProtocol >> 4, familyProtocol & 0x0F) switch
    {
        (> 3, _) or (_, > 2) => Refuse.At(FamilyAt, familyProtocol, "v2: an address family or transport protocol the specification does not define"),

        // §2.2 leaves UNSPEC, AF_UNIX and DGRAM under PROXY to the receiver: accept with the socket's addresses,
        // or refuse. Refused, because the socket's peer is the balancer, and a relayed client must not inherit
        // whatever the access map grants the balancer's own address. Health checks use LOCAL.
        _ when familyProtocol is not (TcpOverIPv4 or TcpOverIPv6) =>
            Refuse.At(FamilyAt, familyProtocol, "v2: PROXY for something other than TCP over IPv4 (0x11) or IPv6 (0x21)"),
        _ => null,
    };

    private static ProxyParseResult.Refused? CheckLength(int total, int maxLength, byte familyProtocol)
    {
        if (total > maxLength)
        {
            return Refuse.With($"v2: the header is {total} bytes, over the {maxLength}-byte cap");
        }

        var needed = familyProtocol switch
        {
            TcpOverIPv4 => InetAddressLength,
            TcpOverIPv6 => Inet6AddressLength,
            _ => 0,
        };
        return total - FixedLength < needed
            ? Refuse.With($"v2: the length field says {total - FixedLength} bytes, too short for the {needed}-byte address block of family 0x{familyProtocol:X2}")
            : null;
    }

    private static ProxyParseResult Proxied(ReadOnlySpan<byte> header)
    {
        var ipv4 = header[FamilyAt] == TcpOverIPv4;
        var size = ipv4 ? 4 : 16;
        var block = header[FixedLength..];
        var source = new IPAddress(block[..size]);
        var destination = new IPAddress(block[size..(2 * size)]);
        var sourcePort = BinaryPrimitives.ReadUInt16BigEndian(block[(2 * size)..]);
        var destinationPort = BinaryPrimitives.ReadUInt16BigEndian(block[((2 * size) + 2)..]);
        var tlvStart = FixedLength + (ipv4 ? InetAddressLength : Inet6AddressLength);
        return ProxyTlvParser.Parse(header, tlvStart) switch
        {
            (_, { } error) => Refuse.With(error),
            var (tlvs, _) => new ProxyParseResult.Done(
                new ProxyHeader.Proxied(2, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort), tlvs!),
                header.Length),
        };
    }
}
