using DnsClient;
using Gateway.Protocol.Dns;
using Gateway.Protocol.Routing;
using Gateway.Resolver;
using Gateway.Tests.Support;

namespace Gateway.Tests.Resolver;

/// <summary>MX lookups against a name server of the test's own, read into the next hops to try (RFC 5321 §5.1, RFC 7505).</summary>
public sealed class MxLookupTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    private static async Task<MxPlan> PlanAsync(TinyDnsServer dns, string domain, Func<string, bool>? isSelf = null)
    {
        var lookup = new MxLookup([new NameServer(dns.Endpoint)], Deadline);
        var (outcome, records) = await lookup.LookUpAsync(domain, CancellationToken.None);
        return MxOrder.From(outcome, domain, records, isSelf ?? (_ => false), new Random(7));
    }

    [Fact]
    public async Task MX_records_come_back_in_preference_order()
    {
        await using var dns = new TinyDnsServer().Mx("example.net", (20, "backup.example.net"), (10, "mx1.example.net"));

        var plan = await PlanAsync(dns, "example.net");

        Assert.Equal(new[] { "mx1.example.net", "backup.example.net" }, Assert.IsType<MxPlan.Hosts>(plan).Names);
    }

    [Fact]
    public async Task A_domain_with_addresses_but_no_MX_is_its_own_implicit_MX()
    {
        await using var dns = new TinyDnsServer().Addresses("plain.example.net", "192.0.2.30");

        var plan = await PlanAsync(dns, "plain.example.net");

        Assert.Equal(new[] { "plain.example.net" }, Assert.IsType<MxPlan.Hosts>(plan).Names);
    }

    [Fact]
    public async Task A_null_MX_says_the_domain_takes_no_mail()
    {
        await using var dns = new TinyDnsServer().Mx("nomail.example.net", (0, "."));

        Assert.Same(MxPlan.NullMx.Instance, await PlanAsync(dns, "nomail.example.net"));
    }

    [Fact]
    public async Task NXDOMAIN_is_a_domain_that_does_not_exist_and_SERVFAIL_a_failure_to_retry()
    {
        await using var dns = new TinyDnsServer().Rcode("broken.example.net", 2);

        Assert.Same(MxPlan.NoSuchDomain.Instance, await PlanAsync(dns, "nowhere.example.net"));
        Assert.Same(MxPlan.Unavailable.Instance, await PlanAsync(dns, "broken.example.net"));
    }

    [Fact]
    public async Task This_node_as_the_best_MX_is_a_loop()
    {
        await using var dns = new TinyDnsServer().Mx("example.net", (10, "gw.example.org"), (20, "mx2.example.net"));

        var plan = await PlanAsync(dns, "example.net", h => h == "gw.example.org");

        Assert.Equal(new MxPlan.LoopsBack("gw.example.org"), plan);
    }
}
