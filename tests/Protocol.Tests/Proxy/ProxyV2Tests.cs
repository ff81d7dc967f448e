using System.Net;
using System.Text;
using Gateway.Protocol.Proxy;

namespace Gateway.Protocol.Tests.Proxy;

public sealed class ProxyV2Tests
{
    private static readonly byte[] Smtp = "EHLO client.example\r\n"u8.ToArray();
    private static readonly byte[] Ipv4Block = ProxyV2Wire.Addresses("192.0.2.10", "198.51.100.25", 40000, 25);

    [Fact]
    public void Local_with_no_address_is_the_socket_addresses_and_16_bytes()
    {
        var header = ProxyV2Wire.Header(0x20, 0x00, []);

        var done = ProxyAssert.Done(ProxyHeaderParser.Parse([.. header, .. Smtp]));

        Assert.Equal(new ProxyHeader.Local(2), done.Header);
        Assert.Equal(16, done.Consumed);
    }

    [Fact]
    public void Local_skips_whatever_block_its_length_announces()
    {
        // §2.2: receivers "must not assume zero is presented for LOCAL connections".
        var header = ProxyV2Wire.Header(0x20, 0x11, [.. Ipv4Block, .. ProxyV2Wire.Tlv(0x04, [1, 2, 3])]);

        var done = ProxyAssert.Done(ProxyHeaderParser.Parse([.. header, .. Smtp]));

        Assert.Equal(new ProxyHeader.Local(2), done.Header);
        Assert.Equal(16 + 12 + 6, done.Consumed);
    }

    [Fact]
    public void Proxy_over_ipv4_gives_the_client_and_the_address_it_reached()
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, Ipv4Block);

        var done = ProxyAssert.Done(ProxyHeaderParser.Parse([.. header, .. Smtp]));

        var proxied = Assert.IsType<ProxyHeader.Proxied>(done.Header);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 40000), proxied.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.25"), 25), proxied.Destination);
        Assert.Equal(2, proxied.Version);
        Assert.Equal(28, done.Consumed);
    }

    [Fact]
    public void Proxy_over_ipv6_gives_the_client_and_the_address_it_reached()
    {
        var header = ProxyV2Wire.Header(0x21, 0x21, ProxyV2Wire.Addresses("2001:db8::7", "2001:db8::25", 65535, 587));

        var done = ProxyAssert.Done(ProxyHeaderParser.Parse([.. header, .. Smtp]));

        var proxied = Assert.IsType<ProxyHeader.Proxied>(done.Header);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 65535), proxied.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::25"), 587), proxied.Destination);
        Assert.Equal(52, done.Consumed);
    }

    [Fact]
    public void The_kept_tlvs_are_read_and_the_others_skipped()
    {
        byte[] ssl = [0x07, 0, 0, 0, 0, .. ProxyV2Wire.Tlv(0x21, "TLSv1.3"u8.ToArray()), .. ProxyV2Wire.Tlv(0x22, "client.example"u8.ToArray()),
            .. ProxyV2Wire.Tlv(0x23, "TLS_AES_128_GCM_SHA256"u8.ToArray()), .. ProxyV2Wire.Tlv(0x28, [0x30, 0x82])];
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, .. ProxyV2Wire.Tlv(0x01, "smtp"u8.ToArray()),
            .. ProxyV2Wire.Tlv(0x02, Encoding.UTF8.GetBytes("mx.exämple.org")), .. ProxyV2Wire.Tlv(0x04, []),
            .. ProxyV2Wire.Tlv(0x05, [9, 8, 7]), .. ProxyV2Wire.Tlv(0x20, ssl), .. ProxyV2Wire.Tlv(0xE0, [1]), .. ProxyV2Wire.Tlv(0x30, "ns"u8.ToArray())]);

        var done = ProxyAssert.Done(ProxyHeaderParser.Parse([.. header, .. Smtp]));

        var tlvs = Assert.IsType<ProxyHeader.Proxied>(done.Header).Tlvs;
        Assert.Equal("smtp", tlvs.Alpn);
        Assert.Equal("mx.exämple.org", tlvs.Authority);
        Assert.Equal([9, 8, 7], tlvs.UniqueId);
        Assert.Equal(new ProxySsl(0x07, 0, "TLSv1.3", "client.example", "TLS_AES_128_GCM_SHA256"), tlvs.Ssl);
        Assert.True(tlvs.Ssl!.ClientCertificateVerified);
        Assert.False(tlvs.ChecksumVerified);
        Assert.Equal(header.Length, done.Consumed);
    }

    [Fact]
    public void A_matching_crc32c_is_verified()
    {
        var header = ProxyV2Wire.WithCrc([.. Ipv4Block, .. ProxyV2Wire.Tlv(0x02, "mx.example.org"u8.ToArray())]);

        var done = ProxyAssert.Done(ProxyHeaderParser.Parse([.. header, .. Smtp]));

        var tlvs = Assert.IsType<ProxyHeader.Proxied>(done.Header).Tlvs;
        Assert.True(tlvs.ChecksumVerified);
        Assert.Equal("mx.example.org", tlvs.Authority);
    }

    [Fact]
    public void A_crc32c_that_does_not_match_is_refused()
    {
        var header = ProxyV2Wire.WithCrc([.. Ipv4Block, .. ProxyV2Wire.Tlv(0x02, "mx.example.org"u8.ToArray())]);
        header[16] ^= 0x01;

        var result = ProxyHeaderParser.Parse(header);

        ProxyAssert.Refused(result, "PP2_TYPE_CRC32C is 0x");
    }

    [Fact]
    public void A_crc32c_of_the_wrong_size_is_refused()
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, .. ProxyV2Wire.Tlv(0x03, [0, 0, 0])]);

        var result = ProxyHeaderParser.Parse(header);

        ProxyAssert.Refused(result, "PP2_TYPE_CRC32C is 3 bytes, not 4");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(11)]
    public void A_bad_signature_is_refused_at_the_wrong_byte(int at)
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, Ipv4Block);
        header[at] ^= 0x40;

        var before = ProxyHeaderParser.Parse(header.AsSpan(0, at));
        var result = ProxyHeaderParser.Parse(header.AsSpan(0, at + 1));

        Assert.IsType<ProxyParseResult.NeedMore>(before);
        ProxyAssert.Refused(result, $"v2: bad signature: byte {at} is");
    }

    [Theory]
    [InlineData(0x11, "version (high nibble) is not 2")]
    [InlineData(0x31, "version (high nibble) is not 2")]
    [InlineData(0x22, "neither LOCAL (0) nor PROXY (1)")]
    [InlineData(0x2F, "neither LOCAL (0) nor PROXY (1)")]
    public void A_wrong_version_or_command_is_refused_at_byte_13(byte versionCommand, string because)
    {
        var header = ProxyV2Wire.Header(versionCommand, 0x11, Ipv4Block);

        var result = ProxyHeaderParser.Parse(header.AsSpan(0, 13));

        ProxyAssert.Refused(result, because);
    }

    [Theory]
    [InlineData(0x41, "does not define")]
    [InlineData(0x13, "does not define")]
    [InlineData(0x00, "other than TCP over IPv4")]
    [InlineData(0x10, "other than TCP over IPv4")]
    [InlineData(0x12, "other than TCP over IPv4")]
    [InlineData(0x22, "other than TCP over IPv4")]
    [InlineData(0x31, "other than TCP over IPv4")]
    public void Proxy_for_a_family_other_than_tcp_is_refused_at_byte_14(byte family, string because)
    {
        var header = ProxyV2Wire.Header(0x21, family, new byte[216]);

        var result = ProxyHeaderParser.Parse(header.AsSpan(0, 14));

        ProxyAssert.Refused(result, because);
    }

    [Theory]
    [InlineData(0x11, 11)]
    [InlineData(0x11, 0)]
    [InlineData(0x21, 35)]
    [InlineData(0x21, 12)]
    public void An_address_block_shorter_than_its_family_is_refused_at_byte_16(byte family, int length)
    {
        var header = ProxyV2Wire.Header(0x21, family, new byte[length]);

        var result = ProxyHeaderParser.Parse(header.AsSpan(0, 16));

        ProxyAssert.Refused(result, "too short for the");
    }

    [Fact]
    public void A_length_over_the_default_cap_is_refused_before_the_block_arrives()
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, .. ProxyV2Wire.Tlv(0x04, new byte[5000])]);

        var result = ProxyHeaderParser.Parse(header.AsSpan(0, 16));

        ProxyAssert.Refused(result, "over the 4096-byte cap");
    }

    [Fact]
    public void The_cap_is_configurable_and_a_header_of_exactly_the_cap_is_read()
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, .. ProxyV2Wire.Tlv(0x04, new byte[69])]);

        var atCap = ProxyHeaderParser.Parse(header, maxV2Length: 100);
        var underCap = ProxyHeaderParser.Parse(header, maxV2Length: 99);

        Assert.Equal(100, header.Length);
        Assert.Equal(100, ProxyAssert.Done(atCap).Consumed);
        ProxyAssert.Refused(underCap, "over the 99-byte cap");
    }

    [Theory]
    [InlineData(51)]
    [InlineData(ProxyHeaderParser.AbsoluteMaxV2Length + 1)]
    public void A_cap_outside_what_the_format_allows_is_a_programming_error(int cap)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProxyHeaderParser.Parse([0x0D], cap));
    }

    [Fact]
    public void A_tlv_that_runs_past_the_header_is_refused()
    {
        byte[] tlv = [0x02, 0x00, 0x10, (byte)'m', (byte)'x'];
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, .. tlv]);

        var result = ProxyHeaderParser.Parse([.. header, .. Smtp]);

        ProxyAssert.Refused(result, "a TLV at byte 28 runs past the end of the header");
    }

    [Fact]
    public void Fewer_than_three_bytes_left_for_a_tlv_is_refused()
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, 0x04, 0x00]);

        var result = ProxyHeaderParser.Parse(header);

        ProxyAssert.Refused(result, "runs past the end of the header");
    }

    [Theory]
    [InlineData(0x02, new byte[] { 0xC3, 0x28 }, "PP2_TYPE_AUTHORITY is not UTF-8")]
    [InlineData(0x01, new byte[] { 0x0A }, "PP2_TYPE_ALPN is not printable ASCII")]
    [InlineData(0x20, new byte[] { 1, 0, 0, 0 }, "shorter than its 5-byte client and verify fields")]
    [InlineData(0x20, new byte[] { 1, 0, 0, 0, 0, 0x21, 0, 9, 1 }, "sub-TLV at byte 5 of its value runs past")]
    [InlineData(0x20, new byte[] { 1, 0, 0, 0, 0, 0x22, 0, 1, 0xFF }, "sub-TLV 0x22 is not text")]
    public void A_kept_tlv_with_a_bad_value_is_refused(byte type, byte[] value, string because)
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, .. ProxyV2Wire.Tlv(type, value)]);

        var result = ProxyHeaderParser.Parse(header);

        ProxyAssert.Refused(result, because);
    }

    [Fact]
    public void A_unique_id_over_128_bytes_is_refused()
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, .. ProxyV2Wire.Tlv(0x05, new byte[129])]);

        var result = ProxyHeaderParser.Parse(header);

        ProxyAssert.Refused(result, "PP2_TYPE_UNIQUE_ID is 129 bytes, over 128");
    }

    [Fact]
    public void A_kept_tlv_sent_twice_is_refused()
    {
        var authority = ProxyV2Wire.Tlv(0x02, "a.example"u8.ToArray());
        var header = ProxyV2Wire.Header(0x21, 0x11, [.. Ipv4Block, .. authority, .. ProxyV2Wire.Tlv(0x02, "b.example"u8.ToArray())]);

        var result = ProxyHeaderParser.Parse(header);

        ProxyAssert.Refused(result, "TLV type 0x02 appears twice");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(27)]
    public void A_valid_beginning_needs_more(int received)
    {
        var header = ProxyV2Wire.Header(0x21, 0x11, Ipv4Block);

        var result = ProxyHeaderParser.Parse(header.AsSpan(0, received));

        Assert.IsType<ProxyParseResult.NeedMore>(result);
    }
}
