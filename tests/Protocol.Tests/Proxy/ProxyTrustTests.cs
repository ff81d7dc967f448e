using System.Net;
using Gateway.Protocol.Proxy;

namespace Gateway.Protocol.Tests.Proxy;

public sealed class ProxyTrustTests
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
    public void A_peer_is_trusted_only_inside_a_listed_network(string entry, string peer, bool trusted)
    {
        Assert.True(ProxyTrust.TryParse([entry], out var trust, out _));

        Assert.Equal(trusted, trust.Trusts(IPAddress.Parse(peer)));
    }

    [Fact]
    public void Any_listed_entry_is_enough()
    {
        Assert.True(ProxyTrust.TryParse(["192.0.2.1", "2001:db8::/48", "10.0.0.0/8"], out var trust, out var error));

        Assert.Null(error);
        Assert.True(trust.Trusts(IPAddress.Parse("10.9.9.9")));
        Assert.True(trust.Trusts(IPAddress.Parse("2001:db8:0:1::1")));
        Assert.False(trust.Trusts(IPAddress.Parse("192.0.2.2")));
        Assert.Equal(3, trust.Networks.Count);
    }

    [Fact]
    public void Nobody_and_an_empty_list_trust_no_peer()
    {
        Assert.True(ProxyTrust.TryParse([], out var empty, out _));

        Assert.False(empty.Trusts(IPAddress.Loopback));
        Assert.False(ProxyTrust.Nobody.Trusts(IPAddress.IPv6Loopback));
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
        var ok = ProxyTrust.TryParse(["192.0.2.1", entry], out var trust, out var error);

        Assert.False(ok);
        Assert.Contains($"\"{entry}\"", error, StringComparison.Ordinal);
        Assert.Same(ProxyTrust.Nobody, trust);
    }
}
