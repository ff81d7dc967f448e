using System.Net;
using System.Runtime.Versioning;
using Gateway.Protocol.Status;
using Gateway.Tests.Relay;
using Gateway.Tests.Support;

namespace Gateway.Tests.Observability;

/// <summary>
/// The outbound side seen from outside: client TLS handshakes with next hops in /metrics (against .NET's SslStream
/// as the hop), and a destination that defers in the status record's queue by destination, with its last error.
/// </summary>
[Collection(MetricsCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class RelayObservabilityTests : IAsyncLifetime
{
    private readonly RelayFixture _fixture = new();
    private readonly TestPki _pki = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fixture.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Relay_handshakes_are_counted_with_their_verify_result()
    {
        var sink = _fixture.Sink(new SinkBehaviour { Certificate = _pki.ClientCertificate("server") });
        var node = await _fixture.NodeAsync(sink, "--Http:Listen=127.0.0.1:0", $"--Tls:CACertFile={_pki.CaFile}");

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);
        await RelayFixture.SubmitAsync(node, "alice@localhost", ["carol@remote.example"]);
        await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 2, "both messages at the next hop", RelayFixture.Deadline);

        var scrape = await Eventually.UntilAsync(
            () => PrometheusScrape.ReadAsync(_http, node.Node.HttpEndpoint!),
            s => s.Sum("gateway_deliveries_total", "outcome=delivered") == 2,
            "both deliveries counted",
            describe: s => s.Text);
        var handshakes = sink.Commands.Count(c => c == "STARTTLS");
        Assert.InRange(handshakes, 1, 2);
        Assert.Equal(handshakes, scrape.Sum("gateway_relay_tls_handshakes_total", "outcome=ok", "version=TLSv1.3"));
        Assert.Equal(handshakes, scrape.Sum("gateway_relay_tls_verify_total", "verify=OK"));
        Assert.Equal(0, scrape.Sum("gateway_relay_tls_handshakes_total", "outcome=failed"));

        // The server side saw no handshake: these were the node's own, as a client.
        Assert.Equal(0, scrape.Sum("gateway_tls_handshakes_total"));
    }

    [Fact]
    public async Task A_failed_relay_handshake_is_counted_as_failed()
    {
        var sink = _fixture.Sink(new SinkBehaviour { Certificate = _pki.ClientCertificate("server"), BreakHandshake = true });
        var node = await _fixture.NodeAsync(sink, "--Http:Listen=127.0.0.1:0");

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var scrape = await Eventually.UntilAsync(
            () => PrometheusScrape.ReadAsync(_http, node.Node.HttpEndpoint!),
            s => s.Sum("gateway_relay_tls_handshakes_total", "outcome=failed") >= 1,
            "the failed handshake counted",
            describe: s => s.Text);
        Assert.Equal(0, scrape.Sum("gateway_relay_tls_handshakes_total", "outcome=ok"));
        Assert.Equal(0, scrape.Sum("gateway_relay_tls_verify_total"));
    }

    [Fact]
    public async Task A_destination_that_defers_shows_in_the_status_with_its_last_error()
    {
        var sink = _fixture.Sink(new SinkBehaviour { RcptReply = _ => "451 4.3.0 <b>greylisted</b>, try later" });
        var node = await _fixture.NodeAsync(sink, "--Http:Listen=127.0.0.1:0", "--Http:StatusInterval=0.2");

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example", "carol@Remote.Example"]);

        var status = await Eventually.UntilAsync(
            async () => StatusJson.ReadCluster(await _http.GetStringAsync(new Uri($"http://{node.Node.HttpEndpoint}/api/status"))),
            s => s.Nodes[0].Status?.Queue.Destinations.Count == 1 && s.Nodes[0].Status!.Queue.Destinations[0].LastError is not null,
            "the deferred destination in the status",
            RelayFixture.Deadline);
        var destination = status.Nodes[0].Status!.Queue.Destinations[0];
        Assert.Equal(("remote.example", 1, 2), (destination.Domain, destination.Messages, destination.Recipients));
        Assert.Contains("451 4.3.0 <b>greylisted</b>, try later", destination.LastError, StringComparison.Ordinal);
        Assert.Equal(1, status.Nodes[0].Status!.Queue.Messages);
        Assert.Equal(1, status.Totals.Queued);
    }
}
