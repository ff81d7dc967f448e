using System.Text;
using Gateway.Protocol.Proxy;

namespace Gateway.Protocol.Tests.Proxy;

public sealed class Crc32CTests
{
    [Fact]
    public void The_check_value_of_123456789_is_e3069283()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    // RFC 3720 Appendix B.4, the iSCSI CRC32C examples (the same polynomial as RFC 4960 Appendix B).
    [Theory]
    [InlineData(0x00, 0, 0x8A9136AAu)]
    [InlineData(0xFF, 0, 0x62A8AB43u)]
    [InlineData(0x00, 1, 0x46DD794Eu)]
    [InlineData(0x1F, -1, 0x113FDB5Cu)]
    public void The_rfc_3720_32_byte_vectors_match(int first, int step, uint expected)
    {
        var data = Enumerable.Range(0, 32).Select(i => (byte)(first + (i * step))).ToArray();

        Assert.Equal(expected, Crc32C.Compute(data));
    }

    [Fact]
    public void Appending_in_pieces_equals_computing_at_once()
    {
        var data = Encoding.ASCII.GetBytes("PROXY protocol version 2");

        var pieces = ~Crc32C.Append(Crc32C.Append(~0u, data.AsSpan(0, 7)), data.AsSpan(7));

        Assert.Equal(Crc32C.Compute(data), pieces);
    }
}
