using System.Text;
using Gateway.Protocol.Proxy;

namespace Gateway.Protocol.Tests.Proxy;

/// <summary>TCP may deliver the header in any number of pieces (§2): every split must read the same.</summary>
public sealed class ProxySplitTests
{
    private static readonly byte[] Smtp = "EHLO client.example\r\n"u8.ToArray();

    public static TheoryData<string, byte[]> Headers() => new()
    {
        { "v1 TCP4", Encoding.ASCII.GetBytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n") },
        { "v1 TCP6", Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8::1 ::ffff:192.0.2.1 1 65535\r\n") },
        { "v1 UNKNOWN", Encoding.ASCII.GetBytes("PROXY UNKNOWN ffff::1 ffff::2 65535 65535\r\n") },
        { "v2 LOCAL", ProxyV2Wire.Header(0x20, 0x00, [1, 2, 3]) },
        { "v2 IPv4", ProxyV2Wire.Header(0x21, 0x11, ProxyV2Wire.Addresses("192.0.2.10", "198.51.100.25", 40000, 25)) },
        { "v2 IPv6 TLVs", ProxyV2Wire.Header(0x21, 0x21, [.. ProxyV2Wire.Addresses("2001:db8::7", "2001:db8::25", 1, 587),
            .. ProxyV2Wire.Tlv(0x02, "mx.example.org"u8.ToArray()), .. ProxyV2Wire.Tlv(0x05, [1, 2, 3])]) },
        { "v2 CRC32C", ProxyV2Wire.WithCrc([.. ProxyV2Wire.Addresses("192.0.2.10", "198.51.100.25", 40000, 25), .. ProxyV2Wire.Tlv(0x01, "smtp"u8.ToArray())]) },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Fed_one_byte_at_a_time_it_needs_more_until_the_last_header_byte(string name, byte[] header)
    {
        byte[] wire = [.. header, .. Smtp];
        var expected = Describe(ProxyHeaderParser.Parse(wire));

        for (var received = 1; received < header.Length; received++)
        {
            Assert.True(ProxyHeaderParser.Parse(wire.AsSpan(0, received)) is ProxyParseResult.NeedMore, $"{name}: {received} bytes");
        }

        for (var received = header.Length; received <= wire.Length; received++)
        {
            var pieces = wire[..received].Select(b => new[] { b }).ToArray();
            Assert.Equal(expected, Describe(ProxyHeaderParser.Parse(Segments.Of(pieces))));
        }

        Assert.StartsWith($"Done {header.Length} ", expected, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void Two_chunks_split_anywhere_read_the_same_and_leave_the_smtp_bytes(string name, byte[] header)
    {
        byte[] wire = [.. header, .. Smtp];
        var expected = Describe(ProxyHeaderParser.Parse(wire));

        for (var cut = 1; cut < wire.Length; cut++)
        {
            var result = ProxyHeaderParser.Parse(Segments.Of(wire[..cut], wire[cut..]));

            Assert.True(expected == Describe(result), $"{name}: cut at {cut}: {Describe(result)}");
            Assert.Equal(Smtp, wire[((ProxyParseResult.Done)result).Consumed..]);
        }
    }

    private static string Describe(ProxyParseResult result) => result switch
    {
        ProxyParseResult.Done { Header: ProxyHeader.Proxied proxied } done =>
            $"Done {done.Consumed} {proxied} {Convert.ToHexString(proxied.Tlvs.UniqueId ?? [])}",
        ProxyParseResult.Done done => $"Done {done.Consumed} {done.Header}",
        _ => result.ToString()!,
    };
}
