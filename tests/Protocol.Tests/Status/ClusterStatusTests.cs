using Gateway.Protocol.Status;

namespace Gateway.Protocol.Tests.Status;

public sealed class ClusterStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(8);

    internal static NodeStatus Record(string node, int open = 0, int tls = 0, long accepted = 0, double rate = 0, int queued = 0) => new(
        node,
        "mx.example",
        "1.0.0",
        Now.AddHours(-1),
        Now,
        NodeStatus.Serving,
        new SessionCounts(open, tls, open),
        new TrafficCounts(accepted, 0, tls, 0, rate, 0),
        new Dictionary<string, long>(),
        QueueSummary.Empty with { Waiting = queued },
        new EntropySummary("ok", "kernel", Now, 1, null),
        null,
        StatusSeries.Empty());

    [Fact]
    public void Rows_are_the_members_in_address_order_with_their_records_and_totals_of_the_fresh_ones()
    {
        var members = new[]
        {
            new ClusterStatus.Member("c#3", "akka.tcp://gateway@c:4053", "up", true),
            new ClusterStatus.Member("a#1", "akka.tcp://gateway@a:4053", "up", true),
            new ClusterStatus.Member("b#2", "akka.tcp://gateway@b:4053", "up", false),
            new ClusterStatus.Member("d#4", "akka.tcp://gateway@d:4053", "joining", true),
        };
        var records = new Dictionary<string, ClusterStatus.Received>
        {
            ["a#1"] = new(Record("akka.tcp://gateway@a:4053", open: 4, tls: 1, accepted: 10, rate: 2.5, queued: 3), Now.AddSeconds(-1)),
            ["b#2"] = new(Record("akka.tcp://gateway@b:4053", open: 100, accepted: 1000, rate: 50), Now.AddSeconds(-30)),
            ["c#3"] = new(Record("akka.tcp://gateway@c:4053", open: 2, tls: 2, accepted: 5, rate: 1), Now),

            // An incarnation that left: not a member, not shown.
            ["a#0"] = new(Record("akka.tcp://gateway@a:4053", open: 999), Now),
        };

        var status = ClusterStatus.Of("akka.tcp://gateway@a:4053", Now, members, records, StaleAfter);

        Assert.Equal(["a", "b", "c", "d"], status.Nodes.Select(n => n.Address.Split('@')[1][..1]));
        Assert.Equal([false, true, false, false], status.Nodes.Select(n => n.Stale));
        Assert.Null(status.Nodes[3].Status);
        Assert.False(status.Nodes[1].Reachable);

        // b is stale (30 s without a change) and d has no record: neither counts.
        Assert.Equal(new ClusterTotals(4, 2, 6, 3, 3.5, 0, 15, 3), status.Totals);
    }

    [Fact]
    public void The_tls_share_is_of_open_sessions_and_zero_with_none_open()
    {
        Assert.Equal(0.25, new SessionCounts(4, 1, 9).TlsShare);
        Assert.Equal(0, new SessionCounts(0, 0, 9).TlsShare);
    }
}
