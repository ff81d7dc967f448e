using Gateway.Protocol.Routing;

namespace Gateway.Protocol.Tests.Routing;

public sealed class MxOrderTests
{
    private static readonly Func<string, bool> NotSelf = _ => false;

    private static IReadOnlyList<string> Hosts(MxPlan plan) => Assert.IsType<MxPlan.Hosts>(plan).Names;

    [Fact]
    public void Hosts_are_tried_by_preference_lowest_first_without_dots_or_case()
    {
        MxRecord[] records = [new(20, "Backup.Example.NET."), new(10, "mx1.example.net."), new(30, "last.example.net")];

        var plan = MxOrder.Order("example.net", records, NotSelf, new Random(1));

        Assert.Equal(["mx1.example.net", "backup.example.net", "last.example.net"], Hosts(plan));
    }

    [Fact]
    public void Hosts_of_equal_preference_are_shuffled_and_each_host_is_tried_once()
    {
        MxRecord[] records = [new(10, "a.example.net"), new(10, "b.example.net"), new(10, "c.example.net"), new(20, "z.example.net"), new(30, "A.example.net")];
        var orders = new HashSet<string>();

        for (var seed = 0; seed < 50; seed++)
        {
            var hosts = Hosts(MxOrder.Order("example.net", records, NotSelf, new Random(seed)));
            Assert.Equal(4, hosts.Count);
            Assert.Equal(["a.example.net", "b.example.net", "c.example.net"], hosts.Take(3).Order());
            Assert.Equal("z.example.net", hosts[3]);
            orders.Add(string.Join(",", hosts));
        }

        // RFC 5321 §5.1: the load is spread over equal preferences, so more than one order must come out.
        Assert.True(orders.Count > 1, "equal preferences were never shuffled");
    }

    [Fact]
    public void No_MX_records_mean_the_domain_itself_the_implicit_MX()
    {
        Assert.Equal(["example.net"], Hosts(MxOrder.Order("Example.NET.", [], NotSelf, new Random(1))));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("")]
    public void A_lone_null_MX_means_the_domain_takes_no_mail(string exchange)
    {
        Assert.Same(MxPlan.NullMx.Instance, MxOrder.Order("example.net", [new MxRecord(0, exchange)], NotSelf, new Random(1)));
    }

    [Fact]
    public void A_null_MX_among_others_is_ignored()
    {
        MxRecord[] records = [new(0, "."), new(10, "mx.example.net")];

        Assert.Equal(["mx.example.net"], Hosts(MxOrder.Order("example.net", records, NotSelf, new Random(1))));
    }

    [Fact]
    public void When_this_node_is_an_MX_only_more_preferred_hosts_are_tried()
    {
        MxRecord[] records = [new(10, "mx1.example.net"), new(20, "gw.example.org"), new(20, "peer.example.net"), new(30, "mx3.example.net")];

        var plan = MxOrder.Order("example.net", records, h => h == "gw.example.org", new Random(1));

        Assert.Equal(["mx1.example.net"], Hosts(plan));
    }

    [Fact]
    public void When_this_node_is_the_best_MX_relaying_would_loop()
    {
        MxRecord[] records = [new(10, "GW.example.org."), new(20, "mx2.example.net")];

        var plan = MxOrder.Order("example.net", records, h => h == "gw.example.org", new Random(1));

        Assert.Equal(new MxPlan.LoopsBack("gw.example.org"), plan);
    }
}
