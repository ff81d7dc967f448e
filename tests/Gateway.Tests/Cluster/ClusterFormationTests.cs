using Akka.Cluster;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cluster;

/// <summary>
/// Several gateway nodes in one process, each a whole node with its own ActorSystem, spool and listener, form one
/// Akka.Cluster through Cluster:SeedNodes (DESIGN: equal nodes behind a TCP balancer). Each takes and delivers mail
/// on its own; a node that leaves is removed from the others' view while they go on.
/// </summary>
public sealed class ClusterFormationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly List<TestNode> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_nodes_join_through_a_seed_each_takes_mail_and_one_leaving_leaves_the_others_serving()
    {
        var seed = await StartAsync();
        var seedAddress = Akka.Cluster.Cluster.Get(seed.Node.System).SelfAddress;
        var second = await StartAsync($"--Cluster:SeedNodes:0={seedAddress}");
        var third = await StartAsync($"--Cluster:SeedNodes:0={seedAddress}");

        foreach (var node in _nodes)
        {
            await Eventually.UntilAsync(() => UpMembers(node), n => n == 3, $"three members Up as seen from {Akka.Cluster.Cluster.Get(node.Node.System).SelfAddress}", Deadline);
        }

        foreach (var (node, i) in _nodes.Select((n, i) => (n, i)))
        {
            await SendAsync(node, $"node{i}@localhost");
            Assert.Single(await MaildirReader.WaitForAsync(node.Maildir, $"node{i}@localhost", 1));
        }

        _nodes.Remove(third);
        await third.DisposeAsync();

        await Eventually.UntilAsync(() => (UpMembers(seed), UpMembers(second)), up => up == (2, 2), "the third node gone from the others' view (members Up at the seed and the second)", Deadline);
        await SendAsync(second, "after@localhost");
        Assert.Single(await MaildirReader.WaitForAsync(second.Maildir, "after@localhost", 1));
    }

    private async Task<TestNode> StartAsync(params string[] switches)
    {
        var node = await TestNode.StartAsync(switches);
        _nodes.Add(node);
        return node;
    }

    private static int UpMembers(TestNode node) =>
        Akka.Cluster.Cluster.Get(node.Node.System).State.Members.Count(m => m.Status == MemberStatus.Up);

    private static async Task SendAsync(TestNode node, string rcpt)
    {
        await using var smtp = await SmtpStream.ConnectAsync(node.Smtp);
        await smtp.SendMessageAsync(rcpt, "cluster");
    }
}
