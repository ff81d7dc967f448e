using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Gateway.Protocol.Proxy;

/// <summary>
/// Walks the v2 TLVs after the address block (§2.2), each bounded by the header; keeps the ones in
/// <see cref="ProxyTlvs"/> and checks PP2_TYPE_CRC32C over the whole header (§2.2.3).
/// </summary>
internal static class ProxyTlvParser
{
    public const int TlvHeaderLength = 3;

    private const byte Alpn = 0x01;
    private const byte Authority = 0x02;
    private const byte Crc32CType = 0x03;
    private const byte UniqueId = 0x05;
    private const byte Ssl = 0x20;

    /// <summary>§2.2.5: "an opaque byte sequence of up to 128 bytes".</summary>
    private const int MaxUniqueId = 128;

    public static (ProxyTlvs? Tlvs, string? Error) Parse(ReadOnlySpan<byte> header, int start)
    {
        var tlvs = ProxyTlvs.None;
        var seen = 0UL;
        for (var at = start; at < header.Length;)
        {
            if (Next(header, at) is not (var type, var value, var next))
            {
                return (null, $"v2: a TLV at byte {at} runs past the end of the header");
            }

            // A kept type seen twice would leave two readers of the header free to believe different values.
            var bit = type is Alpn or Authority or Crc32CType or UniqueId or Ssl ? 1UL << type : 0;
            if ((seen & bit) != 0)
            {
                return (null, $"v2: TLV type 0x{type:X2} appears twice");
            }

            var (kept, error) = Keep(tlvs, type, header.Slice(value.Start, value.Length), header, value.Start);
            if (error is not null)
            {
                return (null, error);
            }

            (tlvs, at, seen) = (kept!, next, seen | bit);
        }

        return (tlvs, null);
    }

    /// <summary>The TLV at <paramref name="at"/>: its type, where its value lies, and where the next one starts.</summary>
    internal static (byte Type, (int Start, int Length) Value, int Next)? Next(ReadOnlySpan<byte> area, int at)
    {
        if (area.Length - at < TlvHeaderLength)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(area[(at + 1)..]);
        var next = at + TlvHeaderLength + length;
        return next > area.Length ? null : (area[at], (at + TlvHeaderLength, length), next);
    }

    private static (ProxyTlvs? Tlvs, string? Error) Keep(ProxyTlvs tlvs, byte type, ReadOnlySpan<byte> value, ReadOnlySpan<byte> header, int valueAt) => type switch
    {
        Alpn => Ascii(value) is { } alpn ? (tlvs with { Alpn = alpn }, null) : (null, "v2: PP2_TYPE_ALPN is not printable ASCII"),
        Authority => Utf8.IsValid(value)
            ? (tlvs with { Authority = Encoding.UTF8.GetString(value) }, null)
            : (null, "v2: PP2_TYPE_AUTHORITY is not UTF-8"),
        UniqueId => value.Length <= MaxUniqueId
            ? (tlvs with { UniqueId = value.ToArray() }, null)
            : (null, $"v2: PP2_TYPE_UNIQUE_ID is {value.Length} bytes, over {MaxUniqueId}"),
        Crc32CType => Checksum(header, valueAt, value) is { } crcError ? (null, crcError) : (tlvs with { ChecksumVerified = true }, null),
        Ssl => ProxySslParser.Parse(value) switch
        {
            (_, { } sslError) => (null, sslError),
            var (ssl, _) => (tlvs with { Ssl = ssl }, null),
        },
        _ => (tlvs, null),
    };

    /// <summary>§2.2.3: the CRC-32C of the whole header with the checksum's own 4 bytes taken as zero.</summary>
    private static string? Checksum(ReadOnlySpan<byte> header, int valueAt, ReadOnlySpan<byte> value)
    {
        if (value.Length != sizeof(uint))
        {
            return $"v2: PP2_TYPE_CRC32C is {value.Length} bytes, not 4";
        }

        var running = Crc32C.Append(~0u, header[..valueAt]);
        running = Crc32C.Append(running, [0, 0, 0, 0]);
        var computed = ~Crc32C.Append(running, header[(valueAt + sizeof(uint))..]);
        var sent = BinaryPrimitives.ReadUInt32BigEndian(value);
        return computed == sent ? null : $"v2: PP2_TYPE_CRC32C is 0x{sent:X8} but the header's CRC-32C is 0x{computed:X8}";
    }

    internal static string? Ascii(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(value);
    }
}
