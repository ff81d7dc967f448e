using System.Net;
using Gateway.Protocol.Status;
using Gateway.Tests.Support;

namespace Gateway.Tests.Observability;

/// <summary>
/// /api/status of a real three-node cluster in this process: any node lists all three with their records, and each
/// node's counts are its own sessions' (plain, STARTTLS with .NET's SslStream, a session held open), exactly.
/// </summary>
public sealed class StatusApiTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await TestCluster.StartAsync(3, "--Http:Listen=127.0.0.1:0", "--Http:StatusInterval=0.2", "--Smtp:DrainTimeout=30");

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    private IReadOnlyList<TestNode> Nodes => _cluster.Nodes;

    [Fact]
    public async Task Every_node_answers_for_all_three()
    {
        foreach (var node in Nodes)
        {
            var status = await Eventually.UntilAsync(
                () => StatusAsync(node),
                s => s.Nodes.Count == 3 && s.Nodes.All(n => n.Status is not null && !n.Stale),
                "three nodes with fresh records",
                describe: Describe);
            Assert.Equal(AddressOf(node), status.Observer);
            Assert.Equal(Nodes.Select(AddressOf).Order(StringComparer.Ordinal), status.Nodes.Select(n => n.Address));
            Assert.All(status.Nodes, n =>
            {
                Assert.Equal("up", n.Member);
                Assert.True(n.Reachable);
                Assert.Equal(n.Address, n.Status!.Node);
                Assert.Equal("mx.test.example", n.Status.Host);
                Assert.Equal(NodeStatus.Serving, n.Status.State);
                Assert.Equal("ok", n.Status.Entropy.Status);
                Assert.StartsWith("1.0.0", n.Status.Version, StringComparison.Ordinal);
            });
            Assert.Equal(new ClusterTotals(3, 3, 0, 0, 0, 0, 0, 0), status.Totals);
        }
    }

    [Fact]
    public async Task Each_node_reports_its_own_sessions_handshakes_and_messages()
    {
        // Node 1: two plain messages. Node 2: one over STARTTLS. Node 0: one session held open (no QUIT yet).
        for (var i = 0; i < 2; i++)
        {
            await using var plain = await SmtpStream.ConnectAsync(Nodes[1].Smtp);
            await plain.SendMessageAsync($"plain{i}@localhost", $"plain {i}");
            Assert.StartsWith("221 ", await plain.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        await using (var tls = await SmtpStream.ConnectAsync(Nodes[2].Smtp))
        {
            Assert.StartsWith("220 ", await tls.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("250", await tls.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
            Assert.StartsWith("220 ", await tls.CommandAsync("STARTTLS"), StringComparison.Ordinal);
            await tls.StartTlsAsync();
            Assert.StartsWith("250", await tls.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
            Assert.StartsWith("250 ", await tls.CommandAsync("MAIL FROM:<a@example.com>"), StringComparison.Ordinal);
            Assert.StartsWith("250 ", await tls.CommandAsync("RCPT TO:<tls@localhost>"), StringComparison.Ordinal);
            Assert.StartsWith("354 ", await tls.CommandAsync("DATA"), StringComparison.Ordinal);
            Assert.StartsWith("250 ", await tls.CommandAsync("Subject: tls\r\n\r\nhello\r\n."), StringComparison.Ordinal);

            // Encrypted and still open: node 2 holds one session, and it counts as TLS.
            var during = await Eventually.UntilAsync(
                () => StatusAsync(Nodes[0]),
                s => Row(s, 2)?.Sessions is { Open: 1, Tls: 1 },
                "node 2's encrypted session, seen from node 0",
                describe: Describe);
            Assert.Equal(1.0, Row(during, 2)!.Sessions.TlsShare);
            Assert.StartsWith("221 ", await tls.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        await using var held = await SmtpStream.ConnectAsync(Nodes[0].Smtp);
        Assert.StartsWith("220 ", await held.ReadReplyAsync(), StringComparison.Ordinal);

        var status = await Eventually.UntilAsync(
            () => StatusAsync(Nodes[1]),
            s => Row(s, 1)?.Traffic.Accepted == 2 && Row(s, 2)?.Traffic.Accepted == 1 && Row(s, 2)?.Sessions.Open == 0 && Row(s, 0)?.Sessions.Open == 1,
            "the workload's counts on all three rows, seen from node 1",
            describe: Describe);

        var (zero, one, two) = (Row(status, 0)!, Row(status, 1)!, Row(status, 2)!);
        Assert.Equal(new SessionCounts(1, 0, 1), zero.Sessions);
        Assert.Equal(new SessionCounts(0, 0, 2), one.Sessions);
        Assert.Equal(new SessionCounts(0, 0, 1), two.Sessions);
        Assert.Equal((0L, 2L, 1L), (zero.Traffic.Accepted, one.Traffic.Accepted, two.Traffic.Accepted));
        Assert.Equal((0L, 0L, 1L), (zero.Traffic.Handshakes, one.Traffic.Handshakes, two.Traffic.Handshakes));
        Assert.Equal(0, two.Traffic.HandshakesFailed);
        Assert.Empty(zero.Verify);
        Assert.Equal(new Dictionary<string, long> { ["NO"] = 1 }, two.Verify);
        Assert.Equal(3, status.Totals.Accepted);
        Assert.Equal(1, status.Totals.SessionsOpen);

        Assert.StartsWith("221 ", await held.CommandAsync("QUIT"), StringComparison.Ordinal);
        await Eventually.UntilAsync(() => StatusAsync(Nodes[2]), s => s.Totals.SessionsOpen == 0 && Row(s, 0)?.Sessions.Open == 0, "no session open", describe: Describe);
    }

    [Fact]
    public async Task A_draining_node_says_so_to_the_others()
    {
        await using var busy = await SmtpStream.ConnectAsync(Nodes[2].Smtp);
        Assert.StartsWith("220 ", await busy.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await busy.CommandAsync("EHLO busy.example"), StringComparison.Ordinal);
        Assert.StartsWith("250", await busy.CommandAsync("MAIL FROM:<alice@example.org>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await busy.CommandAsync("RCPT TO:<bob@localhost>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await busy.CommandAsync("DATA"), StringComparison.Ordinal);

        // The transaction in flight holds the drain open while node 0 looks.
        var stopping = Nodes[2].DisposeAsync().AsTask();
        await Eventually.UntilAsync(
            () => StatusAsync(Nodes[0]),
            s => Row(s, 2)?.State == NodeStatus.Draining,
            "node 2 draining, seen from node 0",
            describe: Describe);

        Assert.StartsWith("250 ", await busy.CommandAsync("Subject: in flight\r\n\r\nhello\r\n."), StringComparison.Ordinal);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        // Once it has left, its row goes: the table lists members.
        await Eventually.UntilAsync(() => StatusAsync(Nodes[0]), s => s.Nodes.Count == 2, "two members left", describe: Describe);
    }

    private static string AddressOf(TestNode node) => Akka.Cluster.Cluster.Get(node.Node.System).SelfAddress.ToString();

    private NodeStatus? Row(ClusterStatus status, int node) =>
        status.Nodes.FirstOrDefault(n => n.Address == AddressOf(Nodes[node]))?.Status;

    private async Task<ClusterStatus> StatusAsync(TestNode node)
    {
        using var response = await _http.GetAsync(new Uri($"http://{node.Node.HttpEndpoint}/api/status"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return StatusJson.ReadCluster(await response.Content.ReadAsStringAsync());
    }

    private static string Describe(ClusterStatus status) => string.Join(
        "; ",
        status.Nodes.Select(n => $"{n.Address} {n.Member} stale={n.Stale} {(n.Status is { } s ? $"{s.State} sessions={s.Sessions} traffic={s.Traffic}" : "no record")}"));
}
