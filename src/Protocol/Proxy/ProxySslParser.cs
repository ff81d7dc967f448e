using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Gateway.Protocol.Proxy;

/// <summary>The PP2_TYPE_SSL value (§2.2.6): client flags, verify result, then sub-TLVs bounded by the value.</summary>
internal static class ProxySslParser
{
    private const int FixedLength = 1 + sizeof(uint);
    private const byte Version = 0x21;
    private const byte CommonName = 0x22;
    private const byte Cipher = 0x23;

    public static (ProxySsl? Ssl, string? Error) Parse(ReadOnlySpan<byte> value)
    {
        if (value.Length < FixedLength)
        {
            return (null, $"v2: PP2_TYPE_SSL is {value.Length} bytes, shorter than its {FixedLength}-byte client and verify fields");
        }

        var ssl = new ProxySsl(value[0], BinaryPrimitives.ReadUInt32BigEndian(value[1..]), null, null, null);
        for (var at = FixedLength; at < value.Length;)
        {
            if (ProxyTlvParser.Next(value, at) is not (var type, var (start, length), var next))
            {
                return (null, $"v2: a PP2_TYPE_SSL sub-TLV at byte {at} of its value runs past the end of PP2_TYPE_SSL");
            }

            var sub = value.Slice(start, length);
            ProxySsl? kept = type switch
            {
                Version => ProxyTlvParser.Ascii(sub) is { } version ? ssl with { TlsVersion = version } : null,
                Cipher => ProxyTlvParser.Ascii(sub) is { } cipher ? ssl with { Cipher = cipher } : null,
                CommonName => Utf8.IsValid(sub) ? ssl with { CommonName = Encoding.UTF8.GetString(sub) } : null,
                _ => ssl,
            };
            if (kept is null)
            {
                return (null, $"v2: PP2_TYPE_SSL sub-TLV 0x{type:X2} is not text (ASCII for version and cipher, UTF-8 for CN)");
            }

            ssl = kept;
            at = next;
        }

        return (ssl, null);
    }
}
