using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Gateway.Listener;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cluster;

/// <summary>
/// Smtp:MaxConnectionsPerClient counted across a 3-node cluster: a client's sessions spread over the nodes count
/// together, the 51st is refused on every node with 421 4.7.0, and a session that ends frees a slot on the others.
/// </summary>
public sealed class ClientLimitClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.23");

    private readonly List<TestNode> _nodes = [];
    private readonly List<SmtpStream> _sessions = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Fifty_sessions_spread_over_three_nodes_leave_the_51st_refused_on_every_node()
    {
        var seed = await StartAsync();
        var address = Akka.Cluster.Cluster.Get(seed.Node.System).SelfAddress;
        await StartAsync($"--Cluster:SeedNodes:0={address}");
        await StartAsync($"--Cluster:SeedNodes:0={address}");
        foreach (var node in _nodes)
        {
            await Eventually.UntilAsync(
                () => Akka.Cluster.Cluster.Get(node.Node.System).State.Members.Count(m => m.Status == MemberStatus.Up), n => n == 3, "3 members Up", Deadline);
        }

        // 17 + 17 + 16 = 50, the default limit, each greeted.
        for (var i = 0; i < 50; i++)
        {
            var session = await SmtpStream.ConnectAsync(_nodes[i % 3].Smtp, Client);
            _sessions.Add(session);
            Assert.StartsWith("220 ", await session.ReadReplyAsync());
        }

        // Each node learns the others' counts within a few hundred milliseconds; then no node admits a 51st.
        foreach (var node in _nodes)
        {
            await Eventually.UntilAsync(() => CountsAsync(node), c => c.Here.Connections + c.Others.Connections == 50, "50 sessions counted", Deadline);
        }

        foreach (var node in _nodes)
        {
            await using var refused = await SmtpStream.ConnectAsync(node.Smtp, Client);
            Assert.Equal("421 4.7.0 mx.test.example Too many connections from your address; try again later", await refused.ReadReplyAsync());
        }

        // One session on the first node ends: the slot is free on the third too, once it has heard.
        Assert.StartsWith("221 ", await _sessions[0].CommandAsync("QUIT"));
        await Eventually.UntilAsync(() => CountsAsync(_nodes[2]), c => c.Here.Connections + c.Others.Connections == 49, "49 sessions counted", Deadline);
        await using var admitted = await SmtpStream.ConnectAsync(_nodes[2].Smtp, Client);
        Assert.StartsWith("220 ", await admitted.ReadReplyAsync());
    }

    private async Task<TestNode> StartAsync(params string[] switches)
    {
        var node = await TestNode.StartAsync([ConnectionLimitTests.NoExceptions, .. switches]);
        _nodes.Add(node);
        return node;
    }

    private static Task<SmtpListener.ClientCounts> CountsAsync(TestNode node) =>
        node.Node.System.ActorSelection("/user/node/smtp-listener").Ask<SmtpListener.ClientCounts>(new SmtpListener.GetClientCounts(Client), TimeSpan.FromSeconds(5));
}
