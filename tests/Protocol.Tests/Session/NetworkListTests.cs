using System.Net;
using Gateway.Protocol.Session;

namespace Gateway.Protocol.Tests.Session;

public sealed class NetworkListTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    [InlineData(" 192.0.2.0/24 ", "192.0.2.200", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8::5", "2001:db8::5", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.5", true)]
    [InlineData("::ffff:192.0.2.0/120", "::ffff:192.0.2.5", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.3.5", false)]
    [InlineData("::ffff:192.0.2.9", "192.0.2.9", true)]
    [InlineData("10.0.0.0/8", "::a00:1", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    public void An_address_is_contained_only_inside_a_listed_network(string entry, string address, bool contained)
    {
        Assert.True(NetworkList.TryParse([entry], out var list, out _));

        Assert.Equal(contained, list.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Any_listed_entry_is_enough()
    {
        Assert.True(NetworkList.TryParse(["192.0.2.1", "2001:db8::/48", "10.0.0.0/8"], out var list, out var error));

        Assert.Null(error);
        Assert.True(list.Contains(IPAddress.Parse("10.9.9.9")));
        Assert.True(list.Contains(IPAddress.Parse("2001:db8:0:1::1")));
        Assert.False(list.Contains(IPAddress.Parse("192.0.2.2")));
        Assert.Equal(3, list.Networks.Count);
    }

    [Fact]
    public void The_empty_list_and_an_empty_configuration_contain_no_address()
    {
        Assert.True(NetworkList.TryParse([], out var empty, out _));

        Assert.False(empty.Contains(IPAddress.Loopback));
        Assert.False(NetworkList.Empty.Contains(IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.1")]
    [InlineData("010.0.0.1")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("2001:db8::/129")]
    [InlineData("fe80::1%2")]
    [InlineData("[::1]")]
    [InlineData("balancer.example")]
    [InlineData("")]
    public void A_bad_entry_is_refused_and_named(string entry)
    {
        var ok = NetworkList.TryParse(["192.0.2.1", entry], out var list, out var error);

        Assert.False(ok);
        Assert.Contains($"\"{entry}\"", error, StringComparison.Ordinal);
        Assert.Same(NetworkList.Empty, list);
    }
}
