using System.Net;
using System.Text;
using Gateway.Protocol.Proxy;

namespace Gateway.Protocol.Tests.Proxy;

public sealed class ProxyV1Tests
{
    private const string WorstCase =
        "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";

    [Fact]
    public void The_spec_example_before_an_http_request_is_read_and_the_request_is_left()
    {
        const string header = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";

        var done = ProxyAssert.Done(ProxyAssert.Parse(header + "GET / HTTP/1.1\r\nHost: 192.168.0.11\r\n\r\n"));

        Assert.Equal(header.Length, done.Consumed);
        var proxied = Assert.IsType<ProxyHeader.Proxied>(done.Header);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.0.1"), 56324), proxied.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.0.11"), 443), proxied.Destination);
        Assert.Equal(1, proxied.Version);
        Assert.Equal(ProxyTlvs.None, proxied.Tlvs);
    }

    [Fact]
    public void The_longest_tcp4_line_of_56_bytes_is_read()
    {
        const string header = "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n";

        var done = ProxyAssert.Done(ProxyAssert.Parse(header));

        Assert.Equal(56, done.Consumed);
        Assert.Equal(new IPEndPoint(IPAddress.Broadcast, 65535), Assert.IsType<ProxyHeader.Proxied>(done.Header).Source);
    }

    [Fact]
    public void The_longest_tcp6_line_of_104_bytes_is_read()
    {
        const string full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        var header = $"PROXY TCP6 {full} {full} 65535 65535\r\n";

        var done = ProxyAssert.Done(ProxyAssert.Parse(header + "EHLO x\r\n"));

        Assert.Equal(104, done.Consumed);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(full), 65535), Assert.IsType<ProxyHeader.Proxied>(done.Header).Destination);
    }

    [Theory]
    [InlineData("PROXY TCP6 2001:db8::1 2001:db8::2 0 25\r\n", "2001:db8::1", 0)]
    [InlineData("PROXY TCP6 ::ffff:192.0.2.1 ::1 1 25\r\n", "::ffff:192.0.2.1", 1)]
    [InlineData("PROXY TCP6 2001:DB8::A 2001:db8::2 65535 25\r\n", "2001:db8::a", 65535)]
    [InlineData("PROXY TCP4 0.0.0.0 10.0.0.1 0 0\r\n", "0.0.0.0", 0)]
    public void Compressed_and_mapped_ipv6_and_zero_fields_are_read(string header, string source, int port)
    {
        var done = ProxyAssert.Done(ProxyAssert.Parse(header));

        Assert.Equal(new IPEndPoint(IPAddress.Parse(source), port), Assert.IsType<ProxyHeader.Proxied>(done.Header).Source);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData(WorstCase)]
    [InlineData("PROXY UNKNOWN anything the sender likes\r\n")]
    public void Unknown_means_the_socket_addresses_and_the_rest_of_the_line_is_ignored(string header)
    {
        var done = ProxyAssert.Done(ProxyAssert.Parse(header + "EHLO x\r\n"));

        Assert.Equal(new ProxyHeader.Local(1), done.Header);
        Assert.Equal(header.Length, done.Consumed);
    }

    [Fact]
    public void The_worst_case_line_is_exactly_107_bytes_and_one_more_byte_is_refused()
    {
        var longer = WorstCase.Replace("65535 65535", "65535 65535 ", StringComparison.Ordinal);

        var result = ProxyAssert.Parse(longer);

        Assert.Equal(107, WorstCase.Length);
        ProxyAssert.Refused(result, "no CRLF within the first 107 bytes");
    }

    [Fact]
    public void No_crlf_in_the_first_107_bytes_is_refused_at_the_107th()
    {
        var line = "PROXY UNKNOWN " + new string('x', 93);

        var at106 = ProxyAssert.Parse(line[..106]);
        var at107 = ProxyAssert.Parse(line);

        Assert.IsType<ProxyParseResult.NeedMore>(at106);
        ProxyAssert.Refused(at107, "no CRLF within the first 107 bytes");
    }

    [Theory]
    [InlineData("P")]
    [InlineData("PROXY")]
    [InlineData("PROXY ")]
    [InlineData("PROXY TC")]
    [InlineData("PROXY TCP4 192.168")]
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443")]
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r")]
    [InlineData("PROXY UNKNOWN")]
    [InlineData("PROXY UNKNOWN\r")]
    public void A_valid_beginning_needs_more(string partial)
    {
        var result = ProxyAssert.Parse(partial);

        Assert.IsType<ProxyParseResult.NeedMore>(result);
    }

    [Theory]
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 65536 443\r\n", "source port")]
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 56324 0443\r\n", "destination port")]
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 123456 443\r\n", "source port")]
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 56324 \r\n", "destination port")]
    [InlineData("PROXY TCP6 ::1 ::1 ffff 25\r\n", "source port")]
    public void A_bad_port_is_refused(string header, string because)
    {
        var result = ProxyAssert.Parse(header);

        ProxyAssert.Refused(result, because);
    }

    [Theory]
    [InlineData("PROXY TCP4 192.168.000.1 192.168.0.11 1 2\r\n", "source address")]
    [InlineData("PROXY TCP4 192.168.0.1 010.0.0.1 1 2\r\n", "destination address")]
    [InlineData("PROXY TCP4 192.168.0.256 192.168.0.11 1 2\r\n", "source address")]
    [InlineData("PROXY TCP4 192.168.1 192.168.0.11 1 2\r\n", "source address")]
    [InlineData("PROXY TCP4 192.168..1 192.168.0.11 1 2\r\n", "source address")]
    [InlineData("PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "not a TCP6 address")]
    [InlineData("PROXY TCP6 ::1 1:2:3:4:5:6:7:8:9 1 2\r\n", "destination address")]
    public void An_address_that_is_not_canonical_for_its_family_is_refused(string header, string because)
    {
        var result = ProxyAssert.Parse(header);

        ProxyAssert.Refused(result, because);
    }

    [Theory]
    [InlineData("PROXY TCP4 ::1 ::1 1 2\r\n", 11)]
    [InlineData("PROXY TCP4 10.0.0.1 0x0a.0.0.1 1 2\r\n", 21)]
    [InlineData("PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", 18)]
    [InlineData("PROXY TCP6 [::1] ::1 1 2\r\n", 11)]
    [InlineData("PROXY TCP4  10.0.0.1 10.0.0.2 1 2\r\n", 11)]
    [InlineData("PROXY TCP4 10.0.0.1 10.0.0.2 1 2 3\r\n", 32)]
    [InlineData("PROXY TCP5 10.0.0.1 10.0.0.2 1 2\r\n", 9)]
    [InlineData("PROXY tcp4 10.0.0.1 10.0.0.2 1 2\r\n", 6)]
    [InlineData("PROXY UNKNOWNX\r\n", 13)]
    [InlineData("PROXY  TCP4 10.0.0.1 10.0.0.2 1 2\r\n", 6)]
    [InlineData("PROXY TCP4 10.0.0.1 10.0.0.2 1 2\n", 32)]
    [InlineData("PROXY TCP4 10.0.0.1 10.0.0.2 1 2\rX\n", 33)]
    [InlineData("PROXY UNKNOWN \u0001\r\n", 14)]
    [InlineData("PROXX TCP4 10.0.0.1 10.0.0.2 1 2\r\n", 4)]
    [InlineData("PROXYTCP4 10.0.0.1 10.0.0.2 1 2\r\n", 5)]
    public void A_malformed_line_is_refused_at_the_first_byte_that_proves_it(string header, int provingByte)
    {
        var before = ProxyAssert.Parse(header[..provingByte]);
        var at = ProxyAssert.Parse(header[..(provingByte + 1)]);

        Assert.IsType<ProxyParseResult.NeedMore>(before);
        Assert.IsType<ProxyParseResult.Refused>(at);
    }

    [Fact]
    public void Tcp4_with_ipv6_addresses_names_the_family()
    {
        var result = ProxyAssert.Parse("PROXY TCP4 ::1 ::1 1 2\r\n");

        ProxyAssert.Refused(result, "cannot be part of a TCP4 address");
    }

    [Theory]
    [InlineData("EHLO client.example\r\n")]
    [InlineData("HELO client.example\r\n")]
    [InlineData("\u0016\u0003\u0001")]
    [InlineData("GET / HTTP/1.1\r\n")]
    public void A_client_speaking_first_is_refused_on_its_first_byte(string first)
    {
        var result = ProxyAssert.Parse(first[..1]);

        ProxyAssert.Refused(result, "neither a PROXY v1");
    }

    [Fact]
    public void A_refusal_shows_client_bytes_as_hex_not_raw()
    {
        var result = ProxyHeaderParser.Parse(Encoding.ASCII.GetBytes("PROXY UNKNOWN \u001b[31m\r\n"));

        var refused = Assert.IsType<ProxyParseResult.Refused>(result);
        Assert.Contains("0x1B", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', refused.Reason);
    }
}
