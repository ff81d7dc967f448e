using System.Net;
using Gateway.Protocol.Anvil;

namespace Gateway.Protocol.Tests.Anvil;

public sealed class ClientAnvilTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");
    private static readonly TimeSpan T0 = TimeSpan.FromHours(1);

    [Fact]
    public void Connections_are_counted_to_the_limit_and_a_release_frees_one()
    {
        var anvil = new ClientAnvil(2, 0, _ => false);

        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(Client, T0));
        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(Client, T0));
        Assert.Equal(AnvilVerdict.TooManyConnections, anvil.Admit(Client, T0));
        Assert.Equal(new ClientCount(2, 2), anvil.Here(Client, T0));

        anvil.Release(Client);
        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(Client, T0));
    }

    [Fact]
    public void The_other_nodes_counts_are_added_in()
    {
        var anvil = new ClientAnvil(50, 0, _ => false);
        anvil.ReplaceOthers(new Dictionary<IPAddress, ClientCount> { [Client] = new(49, 49) });

        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(Client, T0));
        Assert.Equal(AnvilVerdict.TooManyConnections, anvil.Admit(Client, T0));
        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(IPAddress.Parse("192.0.2.8"), T0));
    }

    [Fact]
    public void An_IPv4_mapped_address_is_the_same_client()
    {
        var anvil = new ClientAnvil(1, 0, _ => false);

        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(Client, T0));
        Assert.Equal(AnvilVerdict.TooManyConnections, anvil.Admit(Client.MapToIPv6(), T0));
    }

    [Fact]
    public void The_rate_counts_connections_begun_in_the_last_minute_closed_or_not()
    {
        var anvil = new ClientAnvil(50, 3, _ => false);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(Client, T0 + TimeSpan.FromSeconds(i)));
            anvil.Release(Client);
        }

        Assert.Equal(AnvilVerdict.TooManyConnectionsPerMinute, anvil.Admit(Client, T0 + TimeSpan.FromSeconds(50)));

        // Six 10-second slots: a minute and a slot later the window holds none of them.
        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(Client, T0 + TimeSpan.FromSeconds(70)));
    }

    [Fact]
    public void The_others_rate_is_added_in_too()
    {
        var anvil = new ClientAnvil(50, 10, _ => false);
        anvil.ReplaceOthers(new Dictionary<IPAddress, ClientCount> { [Client] = new(0, 10) });

        Assert.Equal(AnvilVerdict.TooManyConnectionsPerMinute, anvil.Admit(Client, T0));
    }

    [Fact]
    public void An_exempt_client_is_neither_counted_nor_refused()
    {
        var anvil = new ClientAnvil(1, 1, a => a.Equals(Client));

        Assert.Equal(AnvilVerdict.Exempt, anvil.Admit(Client, T0));
        Assert.Equal(AnvilVerdict.Exempt, anvil.Admit(Client, T0));
        Assert.False(anvil.Changed);
        Assert.Empty(anvil.Snapshot(T0));
    }

    [Fact]
    public void The_snapshot_holds_open_sessions_and_recent_rates_and_forgets_the_rest()
    {
        var anvil = new ClientAnvil(50, 0, _ => false);
        var quiet = IPAddress.Parse("192.0.2.8");
        anvil.Admit(Client, T0);
        anvil.Admit(quiet, T0);
        anvil.Release(quiet);
        Assert.True(anvil.Changed);

        Assert.Equal(
            new Dictionary<IPAddress, ClientCount> { [Client] = new(1, 1), [quiet] = new(0, 1) },
            anvil.Snapshot(T0 + TimeSpan.FromSeconds(1)));
        Assert.False(anvil.Changed);

        // Two minutes on: the open session stays, the closed client is forgotten.
        Assert.Equal(new Dictionary<IPAddress, ClientCount> { [Client] = new(1, 0) }, anvil.Snapshot(T0 + TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void A_release_without_an_admission_changes_nothing()
    {
        var anvil = new ClientAnvil(1, 0, _ => false);

        anvil.Release(Client);

        Assert.False(anvil.Changed);
        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(Client, T0));
    }

    [Fact]
    public void An_IPv6_client_is_counted_by_its_network_of_the_prefix_length()
    {
        var anvil = new ClientAnvil(1, 0, a => a.Equals(IPAddress.Parse("2001:db8:1::25")), ipv6Prefix: 84);

        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(IPAddress.Parse("2001:db8::1"), T0));
        // Same /84: one client, whatever address of it the host takes.
        Assert.Equal(AnvilVerdict.TooManyConnections, anvil.Admit(IPAddress.Parse("2001:db8::0fff:ffff:ffff"), T0));
        // Bit 84 differs: another network.
        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(IPAddress.Parse("2001:db8::1000:0:1"), T0));
        // Exemptions are judged on the address itself.
        Assert.Equal(AnvilVerdict.Exempt, anvil.Admit(IPAddress.Parse("2001:db8:1::25"), T0));
        Assert.Equal(AnvilVerdict.Admitted, anvil.Admit(IPAddress.Parse("2001:db8:1::26"), T0));
    }
}
