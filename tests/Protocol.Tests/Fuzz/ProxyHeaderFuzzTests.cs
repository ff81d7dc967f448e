using System.Text;
using Gateway.Protocol.Proxy;
using Gateway.Protocol.Tests.Proxy;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// The PROXY header parser (v1 and v2 with TLVs) on mangled headers followed by SMTP bytes: it never throws;
/// it gives the same answer for any split of its input; an answer other than NeedMore does not change when more
/// bytes arrive (a refusal stays a refusal, its reason may differ); and it never reads past the header it reports: the bytes after Consumed can be anything.
/// </summary>
public sealed class ProxyHeaderFuzzTests
{
    private static readonly string[] V1 =
    [
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n", "PROXY TCP6 2001:db8::1 ::ffff:192.0.2.1 1 65535\r\n",
        "PROXY UNKNOWN\r\n", "PROXY UNKNOWN ffff::1 ffff::2 65535 65535\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 0 65536\r\n",
        "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP6 ::1 ::1 22 25\r\n",
    ];

    private static readonly byte[] Smtp = "EHLO client.example\r\n"u8.ToArray();

    [Fact]
    public void Any_split_reads_the_same_and_nothing_past_the_header_is_read() =>
        FuzzRun.Check(nameof(ProxyHeaderFuzzTests), 20_000, random =>
        {
            var cap = random.OneIn(2) ? ProxyHeaderParser.DefaultMaxV2Length : random.Next(ProxyHeaderParser.MinMaxV2Length, ProxyHeaderParser.AbsoluteMaxV2Length + 1);
            byte[] valid = [.. Header(random), .. Smtp];
            var wire = Mutate.Bytes(random, valid, maxLength: 8192);

            var whole = ProxyHeaderParser.Parse(wire, cap);
            var described = Describe(whole);

            var split = ProxyHeaderParser.Parse(Segments.Of(LineFramerFuzzTests.Pieces(wire, random.Cuts(wire.Length))), cap);
            Assert.Equal(described, Describe(split));

            var cut = random.Next(wire.Length + 1);
            var prefix = ProxyHeaderParser.Parse(wire.AsSpan(0, cut), cap);
            // A refusal may name another fault once more of the line is seen (ProxyV1Syntax checks every byte of
            // what has arrived before the fields); it stays a refusal. A Done is the same Done.
            Assert.True(prefix is ProxyParseResult.NeedMore || (prefix is ProxyParseResult.Refused ? whole is ProxyParseResult.Refused : Describe(prefix) == described),
                $"{cut} of {wire.Length}: {Describe(prefix)} then {described}");

            if (whole is ProxyParseResult.Done done)
            {
                Assert.InRange(done.Consumed, 1, wire.Length);
                var tail = random.Bytes(random.Next(64));
                Assert.Equal(described, Describe(ProxyHeaderParser.Parse([.. wire.AsSpan(0, done.Consumed), .. tail], cap)));
            }
        });

    private static byte[] Header(FuzzRandom random)
    {
        if (random.OneIn(3))
        {
            return Encoding.ASCII.GetBytes(random.Pick(V1));
        }

        var family = random.Pick(new byte[] { 0x11, 0x12, 0x21, 0x22, 0x31, 0x00, 0x13 });
        var addresses = family switch
        {
            0x11 or 0x12 => ProxyV2Wire.Addresses("192.0.2.10", "198.51.100.25", (ushort)random.Next(65536), 25),
            0x21 or 0x22 => ProxyV2Wire.Addresses("2001:db8::7", "2001:db8::25", 1, 587),
            0x31 => random.Bytes(216),
            _ => random.Bytes(random.Next(12)),
        };
        var tlvs = new List<byte>();
        for (var i = random.Next(4); i > 0; i--)
        {
            var type = random.Pick(new byte[] { 0x01, 0x02, 0x04, 0x05, 0x20, 0x21, 0x22, 0x25, 0x30, 0xE0 });
            var value = type == 0x20
                ? [random.NextByte(), .. random.Bytes(4), .. ProxyV2Wire.Tlv(random.Pick(new byte[] { 0x21, 0x22, 0x23, 0x24, 0x25 }), Encoding.ASCII.GetBytes("TLSv1.3"))]
                : random.Bytes(random.Size(300));
            tlvs.AddRange(ProxyV2Wire.Tlv(type, value));
        }

        return random.OneIn(4)
            ? ProxyV2Wire.WithCrc([.. ProxyV2Wire.Addresses("192.0.2.10", "198.51.100.25", 40000, 25), .. tlvs])
            : ProxyV2Wire.Header(random.OneIn(8) ? (byte)0x20 : (byte)0x21, family, [.. addresses, .. tlvs]);
    }

    private static string Describe(ProxyParseResult result) => result switch
    {
        ProxyParseResult.Done { Header: ProxyHeader.Proxied proxied } done =>
            $"Done {done.Consumed} {proxied} {Convert.ToHexString(proxied.Tlvs.UniqueId ?? [])}",
        ProxyParseResult.Done done => $"Done {done.Consumed} {done.Header}",
        null => "null",
        _ => result.ToString(),
    };
}
