using System.Buffers.Binary;
using System.Net;
using Gateway.Protocol.Proxy;

namespace Gateway.Protocol.Tests.Proxy;

/// <summary>Builds v2 headers byte by byte from §2.2's layout, independently of the parser under test.</summary>
public static class ProxyV2Wire
{
    public static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static byte[] Header(byte versionCommand, byte family, byte[] body)
    {
        var header = new byte[16 + body.Length];
        Signature.CopyTo(header, 0);
        header[12] = versionCommand;
        header[13] = family;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)body.Length);
        body.CopyTo(header, 16);
        return header;
    }

    public static byte[] Addresses(string source, string destination, ushort sourcePort, ushort destinationPort) =>
        [.. IPAddress.Parse(source).GetAddressBytes(), .. IPAddress.Parse(destination).GetAddressBytes(), .. Port(sourcePort), .. Port(destinationPort)];

    public static byte[] Tlv(byte type, byte[] value) => [type, (byte)(value.Length >> 8), (byte)value.Length, .. value];

    /// <summary>A TCP/IPv4 PROXY header whose last TLV is PP2_TYPE_CRC32C, filled in as §2.2.3 tells a sender.</summary>
    public static byte[] WithCrc(byte[] addressesAndTlvs)
    {
        var header = Header(0x21, 0x11, [.. addressesAndTlvs, .. Tlv(0x03, [0, 0, 0, 0])]);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(header.Length - 4), Crc32C.Compute(header));
        return header;
    }

    private static byte[] Port(ushort port) => [(byte)(port >> 8), (byte)port];
}
