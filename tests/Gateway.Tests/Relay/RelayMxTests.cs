using System.Net;
using System.Runtime.Versioning;
using Gateway.Tests.Support;

namespace Gateway.Tests.Relay;

/// <summary>
/// Routing through MX records (RFC 5321 §5.1, RFC 7505) with the test's own name server: preference order, the next MX
/// after a refused connection or a 4xx greeting, the A record when there is no MX, and the permanent failures (null
/// MX, NXDOMAIN). Each MX host is its own loopback address; the route <c>smtp:remote.example:PORT</c> looks up MX and
/// connects to the test's port (an MX route proper uses 25, which a test may not bind).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RelayMxTests : IAsyncLifetime
{
    private const string Relay = "Connect:127.0.0.1 RELAY";

    /// <summary>The port of a route whose lookup fails: no connection is ever made to it.</summary>
    private const int NeverConnected = 9;
    private readonly RelayFixture _fixture = new();
    private readonly TinyDnsServer _dns = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        await _dns.DisposeAsync();
    }

    private Task<TestNode> NodeAsync(int port) =>
        _fixture.NodeWithRouteAsync(Relay, $"smtp:remote.example:{port}", $"--Dns:Servers:0={_dns.Endpoint}", "--Dns:Timeout=5");

    [Fact]
    public async Task The_most_preferred_MX_that_answers_gets_the_mail_after_a_refused_connection()
    {
        var sink = _fixture.Sink(address: IPAddress.Parse("127.0.0.3"));
        _dns.Mx("remote.example", (20, "mx2.remote.example"), (10, "mx1.remote.example"), (30, "mx3.remote.example"))
            .Addresses("mx1.remote.example", "127.0.0.2")
            .Addresses("mx2.remote.example", "127.0.0.3")
            .Addresses("mx3.remote.example", "127.0.0.4");
        var node = await NodeAsync(sink.Port);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at mx2", RelayFixture.Deadline);
    }

    [Fact]
    public async Task A_4xx_greeting_passes_the_mail_to_the_next_MX()
    {
        var busy = _fixture.Sink(new SinkBehaviour { Greeting = "421 4.3.2 too busy" }, IPAddress.Parse("127.0.0.5"));
        var next = _fixture.Sink(address: IPAddress.Parse("127.0.0.6"), port: busy.Port);
        _dns.Mx("remote.example", (10, "busy.remote.example"), (20, "next.remote.example"))
            .Addresses("busy.remote.example", "127.0.0.5")
            .Addresses("next.remote.example", "127.0.0.6");
        var node = await NodeAsync(busy.Port);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        await Eventually.UntilAsync(() => next.Messages, m => m.Count == 1, "the message at the next MX", RelayFixture.Deadline);
        Assert.Equal(1, busy.Connections);
        Assert.Empty(busy.Messages);
    }

    [Fact]
    public async Task Without_MX_records_the_domains_own_address_is_used()
    {
        var sink = _fixture.Sink(address: IPAddress.Parse("127.0.0.7"));
        _dns.Addresses("remote.example", "127.0.0.7");
        var node = await NodeAsync(sink.Port);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the implicit MX", RelayFixture.Deadline);
    }

    [Fact]
    public async Task A_null_MX_bounces_at_once_with_RFC_7505s_code()
    {
        _dns.Mx("remote.example", (0, "."));
        var node = await NodeAsync(NeverConnected);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var bounce = await MaildirReader.WaitForAsync(node.Maildir, "alice@localhost", 1, RelayFixture.Deadline);
        Assert.Contains("Status: 5.1.10", bounce[0], StringComparison.Ordinal);
        Assert.Contains("556 5.1.10 domain remote.example accepts no mail (null MX, RFC 7505)", bounce[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_that_does_not_exist_bounces()
    {
        _dns.Rcode("remote.example", 3);
        var node = await NodeAsync(NeverConnected);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var bounce = await MaildirReader.WaitForAsync(node.Maildir, "alice@localhost", 1, RelayFixture.Deadline);
        Assert.Contains("Status: 5.1.2", bounce[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_DNS_failure_defers()
    {
        _dns.Rcode("remote.example", 2);
        var node = await NodeAsync(NeverConnected);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.Equal("4.4.3 MX lookup for remote.example failed temporarily", listing[0].LastError);
    }
}
