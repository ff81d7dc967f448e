using Akka.Cluster;

namespace Gateway.Tests.Support;

/// <summary>
/// Several <see cref="TestNode"/>s in this process forming one cluster: the first is the seed, the others join it,
/// and <see cref="StartAsync"/> returns once every node sees all of them Up.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly List<TestNode> _nodes = [];

    public IReadOnlyList<TestNode> Nodes => _nodes;

    /// <param name="switches">Given to every node (for example <c>--Http:Listen=127.0.0.1:0</c>).</param>
    public static async Task<TestCluster> StartAsync(int count, params string[] switches)
    {
        var cluster = new TestCluster();
        try
        {
            var seed = await cluster.AddAsync(switches).ConfigureAwait(false);
            var address = Akka.Cluster.Cluster.Get(seed.Node.System).SelfAddress;
            for (var i = 1; i < count; i++)
            {
                await cluster.AddAsync([.. switches, $"--Cluster:SeedNodes:0={address}"]).ConfigureAwait(false);
            }

            foreach (var node in cluster._nodes)
            {
                await Eventually.UntilAsync(
                    () => Task.FromResult(Akka.Cluster.Cluster.Get(node.Node.System).State.Members.Count(m => m.Status == MemberStatus.Up)),
                    n => n == count,
                    $"{count} members Up",
                    Deadline).ConfigureAwait(false);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<TestNode> AddAsync(string[] switches)
    {
        var node = await TestNode.StartAsync(switches).ConfigureAwait(false);
        _nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
