using Gateway.Protocol.Proxy;

namespace Gateway.Protocol.Tests.Proxy;

/// <summary>Hostile first bytes must never throw, and an answer once given must not change as more bytes arrive.</summary>
public sealed class ProxyFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        [],
        "PROXY "u8.ToArray(),
        "PROXY TCP4 "u8.ToArray(),
        "PROXY TCP6 "u8.ToArray(),
        "PROXY UNKNOWN"u8.ToArray(),
        ProxyV2Wire.Signature,
        [.. ProxyV2Wire.Signature, 0x21, 0x11],
        [.. ProxyV2Wire.Signature, 0x21, 0x21, 0x00, 0x40],
        ProxyV2Wire.Header(0x21, 0x11, [.. ProxyV2Wire.Addresses("192.0.2.1", "192.0.2.2", 1, 2), .. ProxyV2Wire.Tlv(0x20, [1, 0, 0, 0, 0])]),
    ];

    [Fact]
    public void Random_bytes_after_any_seed_never_throw_and_answers_are_stable()
    {
        var random = new Random(14);
        const string alphabet = "PROXY TCP46UNKNOW0123456789abcdef:.\r\n ";

        for (var round = 0; round < 20_000; round++)
        {
            var seed = Seeds[round % Seeds.Length];
            var tail = new byte[random.Next(0, 160)];
            random.NextBytes(tail);
            if (round % 2 == 0)
            {
                // Text-shaped noise reaches deeper into the v1 grammar than uniform bytes do.
                tail = [.. tail.Select(b => (byte)alphabet[b % alphabet.Length])];
            }

            byte[] wire = [.. seed, .. tail];
            var cut = wire.Length == 0 ? 0 : random.Next(0, wire.Length);

            var whole = ProxyHeaderParser.Parse(wire, maxV2Length: 256);
            var prefix = ProxyHeaderParser.Parse(wire.AsSpan(0, cut), maxV2Length: 256);

            Assert.NotNull(whole);
            if (whole is ProxyParseResult.Done done)
            {
                Assert.InRange(done.Consumed, 1, wire.Length);
            }

            if (prefix is not ProxyParseResult.NeedMore)
            {
                Assert.Equal(prefix.GetType(), whole.GetType());
            }
        }
    }

    [Fact]
    public void Every_single_byte_change_to_a_v2_header_is_answered_and_the_crc_catches_every_address_change()
    {
        var header = ProxyV2Wire.WithCrc([.. ProxyV2Wire.Addresses("192.0.2.10", "198.51.100.25", 40000, 25), .. ProxyV2Wire.Tlv(0x02, "mx"u8.ToArray())]);
        var addressChangesAccepted = 0;

        for (var at = 0; at < header.Length; at++)
        {
            for (var value = 0; value < 256; value++)
            {
                var changed = header.ToArray();
                changed[at] = (byte)value;

                var result = ProxyHeaderParser.Parse(changed);

                var isAddress = at is >= 16 and < 28 && value != header[at];
                addressChangesAccepted += isAddress && result is ProxyParseResult.Done ? 1 : 0;
            }
        }

        Assert.Equal(0, addressChangesAccepted);
    }
}
