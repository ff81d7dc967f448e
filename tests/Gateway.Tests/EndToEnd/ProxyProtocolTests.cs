using System.Net;
using System.Runtime.Versioning;
using System.Text;
using Gateway.Tests.Access;
using Gateway.Tests.Support;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Smtp:ProxyProtocolListen behind a balancer: the PROXY header's source is the client for the Received header, the
/// access map and the per-client limit; a peer outside Smtp:ProxyTrustedAddresses, a bad header or none in time is
/// closed on without a reply. The balancer is played by a raw socket from 127.0.0.1 writing the header bytes.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ProxyProtocolTests(ProxyProtocolTests.BalancedNode balanced) : IClassFixture<ProxyProtocolTests.BalancedNode>
{
    private TestNode Node => balanced.Node;

    private IPEndPoint Proxy => (IPEndPoint)Node.Node.ProxyEndpoints[0];

    public static TheoryData<string, string> Headers => new()
    {
        { "v1", "192.0.2.8" },
        { "v1", "2001:db8::8" },
        { "v2", "192.0.2.9" },
        { "v2", "2001:db8::9" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task The_headers_client_address_is_the_one_in_the_Received_header(string version, string client)
    {
        var destination = client.Contains(':', StringComparison.Ordinal) ? "2001:db8::25" : "198.51.100.25";
        var header = version == "v1" ? ProxyWire.V1(client, destination) : ProxyWire.V2(client, destination);
        var recipient = $"{version}-{client.Replace(':', '-')}@example.test";

        await using (var balancer = await SmtpStream.ConnectAsync(Proxy))
        {
            await balancer.SendAsync(header);
            await balancer.SendMessageAsync(recipient, "proxied");
        }

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(Node.Maildir, recipient, 1));
        Assert.Contains($"\r\nReceived: from client.example ([{client}])\r\n", delivered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task A_Connect_REJECT_for_the_headers_address_refuses_that_client(string version)
    {
        await using var balancer = await SmtpStream.ConnectAsync(Proxy);
        await balancer.SendAsync(version == "v1" ? ProxyWire.V1("192.0.2.7", "198.51.100.25") : ProxyWire.V2("192.0.2.7", "198.51.100.25"));

        Assert.StartsWith("220 ", await balancer.ReadReplyAsync());
        Assert.StartsWith("250", await balancer.CommandAsync("EHLO client.example"));
        Assert.Equal("550 5.7.1 Access denied", await balancer.CommandAsync("MAIL FROM:<a@example.com>"));
    }

    [Fact]
    public async Task A_v2_LOCAL_header_keeps_the_sockets_address()
    {
        await using (var balancer = await SmtpStream.ConnectAsync(Proxy))
        {
            await balancer.SendAsync(ProxyWire.V2Local());
            await balancer.SendMessageAsync("local@example.test", "health check");
        }

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(Node.Maildir, "local@example.test", 1));
        Assert.Contains("\r\nReceived: from client.example ([127.0.0.1])\r\n", delivered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_after_the_header_in_the_same_write_are_kept_for_SMTP()
    {
        await using var balancer = await SmtpStream.ConnectAsync(Proxy);

        await balancer.SendAsync([.. ProxyWire.V1("192.0.2.8", "198.51.100.25"), .. "EHLO client.example\r\n"u8]);

        Assert.StartsWith("220 mx.test.example ", await balancer.ReadReplyAsync());
        Assert.StartsWith("250-mx.test.example", await balancer.ReadReplyAsync());
        Assert.StartsWith("221 ", await balancer.CommandAsync("QUIT"));
    }

    [Theory]
    [InlineData("EHLO client.example\r\n")]
    [InlineData("PROXY TCP4 192.0.2.300 198.51.100.25 40000 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.8 198.51.100.25 40000\r\n")]
    [InlineData("GET / HTTP/1.0\r\n\r\n")]
    public async Task A_malformed_header_closes_the_connection_without_a_greeting(string header)
    {
        await using var balancer = await SmtpStream.ConnectAsync(Proxy);

        await balancer.SendAsync(header);

        Assert.True(await balancer.ClosedWithoutReplyAsync());
    }

    [Fact]
    public async Task A_peer_outside_the_trusted_addresses_is_closed_on_without_a_reply()
    {
        await using var stranger = await SmtpStream.ConnectAsync(Proxy, IPAddress.Parse("127.0.0.3"));

        await stranger.SendAsync(ProxyWire.V1("192.0.2.8", "198.51.100.25"));

        Assert.True(await stranger.ClosedWithoutReplyAsync());
    }

    [Fact]
    public async Task The_plain_listener_beside_it_takes_no_header()
    {
        await using var client = await SmtpStream.ConnectAsync(Node.Smtp);

        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        Assert.StartsWith("500 ", await client.CommandAsync(Encoding.ASCII.GetString(ProxyWire.V1("192.0.2.8", "198.51.100.25")).TrimEnd()));
    }

    [Fact]
    public async Task A_balancer_that_sends_no_header_in_time_is_closed_on()
    {
        await using var node = await StartAsync("--Smtp:ProxyTrustedAddresses:0=127.0.0.1", "--Smtp:ProxyTimeout=0.3");
        await using var balancer = await SmtpStream.ConnectAsync((IPEndPoint)node.Node.ProxyEndpoints[0]);

        await balancer.SendAsync("PROXY TCP4 192.0.2.8 ");

        Assert.True(await balancer.ClosedWithoutReplyAsync());
    }

    [Fact]
    public async Task Clients_behind_one_balancer_are_counted_by_the_headers_address()
    {
        await using var node = await StartAsync("--Smtp:ProxyTrustedAddresses:0=127.0.0.0/8", "--Smtp:MaxConnectionsPerClient=1");
        var proxy = (IPEndPoint)node.Node.ProxyEndpoints[0];
        await using var first = await SmtpStream.ConnectAsync(proxy);
        await using var second = await SmtpStream.ConnectAsync(proxy);
        await first.SendAsync(ProxyWire.V2("192.0.2.10", "198.51.100.25"));
        await second.SendAsync(ProxyWire.V1("192.0.2.11", "198.51.100.25"));
        Assert.StartsWith("220 ", await first.ReadReplyAsync());
        Assert.StartsWith("220 ", await second.ReadReplyAsync());

        await using var again = await SmtpStream.ConnectAsync(proxy);
        await again.SendAsync(ProxyWire.V1("192.0.2.10", "198.51.100.25"));

        Assert.StartsWith("421 4.7.0 ", await again.ReadReplyAsync());
        Assert.True(await again.ClosedWithoutReplyAsync());
    }

    [Fact]
    public async Task The_balancers_LOCAL_health_checks_are_never_counted_against_a_client_limit()
    {
        // 127.0.0.1 is exempt by default; emptied here, so that only the LOCAL rule keeps the checks in.
        await using var node = await StartAsync(
            "--Smtp:ProxyTrustedAddresses:0=127.0.0.0/8", "--Smtp:MaxConnectionRatePerClient=1", "--Smtp:MaxConnectionsPerClient=1", ConnectionLimitTests.NoExceptions);
        var proxy = (IPEndPoint)node.Node.ProxyEndpoints[0];
        var open = new List<SmtpStream>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var check = await SmtpStream.ConnectAsync(proxy);
                open.Add(check);
                await check.SendAsync(ProxyWire.V2Local());
                Assert.StartsWith("220 ", await check.ReadReplyAsync());
            }

            // A relayed client from the balancer's own address is still counted and limited.
            await using var relayed = await SmtpStream.ConnectAsync(proxy);
            await relayed.SendAsync(ProxyWire.V1("127.0.0.1", "127.0.0.1"));
            Assert.StartsWith("220 ", await relayed.ReadReplyAsync());
            await using var again = await SmtpStream.ConnectAsync(proxy);
            await again.SendAsync(ProxyWire.V1("127.0.0.1", "127.0.0.1"));
            Assert.StartsWith("421 4.7.0 ", await again.ReadReplyAsync());
        }
        finally
        {
            foreach (var check in open)
            {
                await check.DisposeAsync();
            }
        }
    }

    private static Task<TestNode> StartAsync(params string[] switches) =>
        TestNode.StartAsync(["--Smtp:ProxyProtocolListen:0=127.0.0.1:0", "--Smtp:LocalDomains:0=example.test", .. switches]);

    /// <summary>One node for the class: a PROXY listener trusting 127.0.0.1 only, and a map refusing 192.0.2.7.</summary>
    public sealed class BalancedNode : IAsyncLifetime
    {
        private readonly MapDirectory _maps = new();

        internal TestNode Node { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Node = await StartAsync("--Smtp:ProxyTrustedAddresses:0=127.0.0.1", $"--Access:MapFile={_maps.Write("access", "Connect:192.0.2.7 REJECT\n")}");

        public async Task DisposeAsync()
        {
            await Node.DisposeAsync();
            _maps.Dispose();
        }
    }
}
