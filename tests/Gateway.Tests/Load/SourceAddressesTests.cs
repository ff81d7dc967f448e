using System.Net;
using Gateway.Cli;
using Gateway.Load;

namespace Gateway.Tests.Load;

public sealed class SourceAddressesTests
{
    [Fact]
    public void A_single_address_is_a_list_of_one()
    {
        var addresses = SourceAddresses.Parse("127.0.0.2");

        Assert.Equal([IPAddress.Parse("127.0.0.2")], addresses);
    }

    [Fact]
    public void A_range_includes_both_ends()
    {
        var addresses = SourceAddresses.Parse("127.0.0.2-127.0.0.50");

        Assert.Equal(49, addresses.Count);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), addresses[0]);
        Assert.Equal(IPAddress.Parse("127.0.0.50"), addresses[^1]);
        Assert.Equal(IPAddress.Parse("127.0.0.3"), addresses[1]);
        Assert.Equal(49, addresses.Distinct().Count());
    }

    [Fact]
    public void A_range_carries_across_octets()
    {
        var addresses = SourceAddresses.Parse("127.0.0.254-127.0.1.1");

        Assert.Equal(["127.0.0.254", "127.0.0.255", "127.0.1.0", "127.0.1.1"], addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void A_range_of_one_address_is_that_address()
    {
        var addresses = SourceAddresses.Parse("127.0.0.7-127.0.0.7");

        Assert.Equal([IPAddress.Parse("127.0.0.7")], addresses);
    }

    [Fact]
    public void A_comma_list_mixes_addresses_and_ranges_in_order()
    {
        var addresses = SourceAddresses.Parse("127.0.0.2-127.0.0.4, 127.1.0.1,127.0.0.10-127.0.0.11");

        Assert.Equal(
            ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.1.0.1", "127.0.0.10", "127.0.0.11"],
            addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Empty_items_in_a_comma_list_are_skipped()
    {
        var addresses = SourceAddresses.Parse(",127.0.0.2,,127.0.0.3,");

        Assert.Equal(["127.0.0.2", "127.0.0.3"], addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void A_backwards_range_is_refused()
    {
        var error = Assert.Throws<UsageError>(() => SourceAddresses.Parse("127.0.0.50-127.0.0.2"));

        Assert.Contains("--source-addresses", error.Message, StringComparison.Ordinal);
        Assert.Contains("backwards", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1-::1")]
    [InlineData("::1-127.0.0.1")]
    public void A_range_mixing_ipv4_and_ipv6_is_refused(string text)
    {
        var error = Assert.Throws<UsageError>(() => SourceAddresses.Parse(text));

        Assert.Contains("--source-addresses", error.Message, StringComparison.Ordinal);
        Assert.Contains("mixes IPv4 and IPv6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_may_hold_ipv4_and_ipv6_items()
    {
        var addresses = SourceAddresses.Parse("127.0.0.1,::1");

        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], addresses);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("127.0.0.256")]
    [InlineData("127.0.0.1-")]
    [InlineData("-127.0.0.1")]
    [InlineData("127.0.0.1-garbage")]
    [InlineData("127.0.0.1-127.0.0.2-127.0.0.3")]
    [InlineData("127.0.0.1/24")]
    [InlineData("fe80::1%1")]
    [InlineData("localhost")]
    public void Garbage_is_refused_naming_the_switch(string text)
    {
        var error = Assert.Throws<UsageError>(() => SourceAddresses.Parse(text));

        Assert.Contains("--source-addresses", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",")]
    [InlineData(" , ")]
    public void A_list_with_no_address_is_refused(string text)
    {
        var error = Assert.Throws<UsageError>(() => SourceAddresses.Parse(text));

        Assert.Contains("--source-addresses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_the_maximum_number_of_addresses_is_accepted()
    {
        var addresses = SourceAddresses.Parse("10.0.0.0-10.0.255.255");

        Assert.Equal(SourceAddresses.MaxAddresses, addresses.Count);
        Assert.Equal(65_536, addresses.Count);
        Assert.Equal(IPAddress.Parse("10.0.255.255"), addresses[^1]);
    }

    [Theory]
    [InlineData("10.0.0.0-10.1.0.0")]                       // one range of 65537
    [InlineData("10.0.0.0-10.0.255.255,127.0.0.1")]         // the maximum, then one more
    [InlineData("127.0.0.1,10.0.0.0-10.0.255.255")]         // one, then the maximum
    [InlineData("0.0.0.0-255.255.255.255")]
    [InlineData("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void More_than_the_maximum_number_of_addresses_is_refused(string text)
    {
        var error = Assert.Throws<UsageError>(() => SourceAddresses.Parse(text));

        Assert.Contains("--source-addresses", error.Message, StringComparison.Ordinal);
        Assert.Contains("65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv6_range_of_one_is_that_address()
    {
        var addresses = SourceAddresses.Parse("::1-::1");

        Assert.Equal([IPAddress.IPv6Loopback], addresses);
    }

    [Fact]
    public void An_ipv6_range_carries_across_groups()
    {
        var addresses = SourceAddresses.Parse("fd00::fffe-fd00::1:1");

        Assert.Equal(["fd00::fffe", "fd00::ffff", "fd00::1:0", "fd00::1:1"], addresses.Select(a => a.ToString()));
    }

    [Theory]
    [InlineData("255.255.255.255")]
    [InlineData("255.255.255.254-255.255.255.255")]
    public void A_range_ending_at_the_last_ipv4_address_stops_there(string text)
    {
        var addresses = SourceAddresses.Parse(text);

        Assert.Equal(IPAddress.Broadcast, addresses[^1]);
    }

    [Theory]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1)]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 2)]
    public void A_range_ending_at_the_last_ipv6_address_stops_there(string text, int count)
    {
        var addresses = SourceAddresses.Parse(text);

        Assert.Equal(count, addresses.Count);
        Assert.Equal(IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), addresses[^1]);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.9")]        // all of 127.0.0.0/8 is loopback on Linux
    [InlineData("127.0.0.2-127.0.0.20")]
    public void Loopback_addresses_are_usable(string text)
    {
        var addresses = SourceAddresses.Parse(text);

        var unusable = SourceAddresses.FirstUnusable(addresses);

        Assert.Null(unusable);
    }

    [Fact]
    public void An_address_this_machine_does_not_have_is_unusable_with_a_reason()
    {
        // TEST-NET-3 (RFC 5737): documentation only, never assigned to a host.
        var addresses = SourceAddresses.Parse("203.0.113.77");

        var unusable = SourceAddresses.FirstUnusable(addresses);

        Assert.NotNull(unusable);
        Assert.StartsWith("203.0.113.77: ", unusable, StringComparison.Ordinal);
        Assert.True(unusable.Length > "203.0.113.77: ".Length, unusable);
    }

    [Fact]
    public void The_first_unusable_address_is_the_one_named()
    {
        var addresses = SourceAddresses.Parse("127.0.0.2,203.0.113.77,127.0.0.3,203.0.113.78");

        var unusable = SourceAddresses.FirstUnusable(addresses);

        Assert.NotNull(unusable);
        Assert.StartsWith("203.0.113.77: ", unusable, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_list_has_nothing_unusable()
    {
        var unusable = SourceAddresses.FirstUnusable([]);

        Assert.Null(unusable);
    }
}
