using Gateway.Protocol.Routing;

namespace Gateway.Protocol.Tests.Routing;

public sealed class RouteTableTests
{
    private static readonly HashSet<string> Local = new(StringComparer.OrdinalIgnoreCase) { "localhost", "example.org" };

    private static bool IsLocal(string domain) => domain.Length == 0 || Local.Contains(domain.TrimEnd('.'));

    private static RouteTable Table(string? smartHost = null, params (string Domain, string Route)[] routes)
    {
        var table = RouteTable.Build(routes.ToDictionary(r => r.Domain, r => r.Route), smartHost, IsLocal, out var errors);
        Assert.Empty(errors);
        return table!;
    }

    [Fact]
    public void Local_domains_and_a_bare_local_part_go_to_the_Maildir_before_any_route()
    {
        var table = Table("[smart.example.net]", ("example.org", "smtp:[other.example]"));

        Assert.Same(Route.Maildir.Instance, table.For("example.org"));
        Assert.Same(Route.Maildir.Instance, table.For("EXAMPLE.ORG."));
        Assert.Same(Route.Maildir.Instance, table.For(""));
    }

    [Fact]
    public void A_domains_own_entry_wins_then_the_nearest_dot_parent_then_the_smart_host()
    {
        var table = Table(
            "[smart.example.net]:2525",
            ("eu.example.com", "smtp:[eu-gw.example.com]"),
            (".example.com", "smtp:[gw.example.com]"),
            (".com", "mx"));

        Assert.Equal("smtp:[eu-gw.example.com]:25", table.For("EU.Example.COM.").ToString());
        Assert.Equal("smtp:[gw.example.com]:25", table.For("mail.eu.example.com").ToString());
        Assert.Equal("smtp:[gw.example.com]:25", table.For("us.example.com").ToString());
        Assert.Equal("mx", table.For("example.com").ToString());
        Assert.Equal("smtp:[smart.example.net]:2525", table.For("example.net").ToString());
    }

    [Fact]
    public void Without_a_smart_host_a_domain_with_no_entry_goes_to_its_own_MX_hosts()
    {
        Assert.Same(Route.RecipientMx.Instance, Table().For("example.net"));
    }

    [Fact]
    public void A_smart_host_may_be_written_with_or_without_smtp_and_brackets()
    {
        Assert.Equal(new Route.Relay("smart.example.net", 25, LookUpMx: false), Table("[smart.example.net]").Fallback);
        Assert.Equal(new Route.Relay("smart.example.net", 587, LookUpMx: true), Table("smtp:smart.example.net:587").Fallback);
    }

    [Fact]
    public void Every_bad_entry_is_reported_under_its_own_key()
    {
        var routes = new Dictionary<string, string>
        {
            ["example.com"] = "relay",
            ["bad domain"] = "mx",
            ["example.net"] = "smtp:[gw.example.net]",
        };

        var table = RouteTable.Build(routes, "[smart.example.net:2525", IsLocal, out var errors);

        Assert.Null(table);
        Assert.Equal(
            [
                new RouteError("Delivery:Routes:example.com", "'relay' is not a route: use maildir, mx, smtp:[host]:port or smtp:host[:port]"),
                new RouteError("Delivery:Routes:bad domain", "'bad domain' is not a domain (write example.com, or .example.com for its subdomains)"),
                new RouteError("Delivery:SmartHost", "'[smart.example.net:2525': '[' without ']'"),
            ],
            errors);
    }

    [Fact]
    public void The_same_domain_twice_in_other_case_is_refused()
    {
        var routes = new Dictionary<string, string> { ["example.com"] = "mx", ["Example.COM."] = "maildir" };

        Assert.Null(RouteTable.Build(routes, null, IsLocal, out var errors));
        Assert.Equal([new RouteError("Delivery:Routes:Example.COM.", "'Example.COM.' is given twice")], errors);
    }
}
