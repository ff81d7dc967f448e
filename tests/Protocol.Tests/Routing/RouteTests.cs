using Gateway.Protocol.Routing;

namespace Gateway.Protocol.Tests.Routing;

public sealed class RouteTests
{
    [Theory]
    [InlineData("maildir", "maildir")]
    [InlineData(" MX ", "mx")]
    [InlineData("smtp:[mail.inner.example]", "smtp:[mail.inner.example]:25")]
    [InlineData("smtp:[mail.inner.example]:2525", "smtp:[mail.inner.example]:2525")]
    [InlineData("smtp:[192.0.2.25]:587", "smtp:[192.0.2.25]:587")]
    [InlineData("smtp:[2001:db8::25]", "smtp:[2001:db8::25]:25")]
    [InlineData("SMTP:Relay.Example.NET.", "smtp:relay.example.net:25")]
    [InlineData("smtp:relay.example.net:2526", "smtp:relay.example.net:2526")]
    public void A_route_is_read_as_written(string text, string route)
    {
        Assert.Equal(route, Route.Parse(text, out var error)?.ToString());
        Assert.Equal("", error);
    }

    [Fact]
    public void Brackets_mean_that_host_alone_and_a_bare_name_means_its_MX_hosts()
    {
        Assert.Equal(new Route.Relay("mx.example.org", 25, LookUpMx: false), Route.Parse("smtp:[mx.example.org]", out _));
        Assert.Equal(new Route.Relay("mx.example.org", 25, LookUpMx: true), Route.Parse("smtp:mx.example.org", out _));
    }

    [Theory]
    [InlineData("relay", "'relay' is not a route: use maildir, mx, smtp:[host]:port or smtp:host[:port]")]
    [InlineData("smtp:", "'smtp:' names no host")]
    [InlineData("smtp:[]", "'smtp:[]' names no host")]
    [InlineData("smtp:[mx.example.org", "'smtp:[mx.example.org': '[' without ']'")]
    [InlineData("smtp:[mx.example.org]25", "'smtp:[mx.example.org]25': only ':port' may follow ']'")]
    [InlineData("smtp:[mx.example.org]:0", "'smtp:[mx.example.org]:0': '0' is not a port number (1-65535)")]
    [InlineData("smtp:mx.example.org:65536", "'smtp:mx.example.org:65536': '65536' is not a port number (1-65535)")]
    [InlineData("smtp:192.0.2.25", "'smtp:192.0.2.25': an IP address is written in brackets, smtp:[192.0.2.25]")]
    [InlineData("smtp:mx_1.example.org", "'smtp:mx_1.example.org': 'mx_1.example.org' is not a host name or an IP address")]
    [InlineData("smtp:-mx.example.org", "'smtp:-mx.example.org': '-mx.example.org' is not a host name or an IP address")]
    public void A_bad_route_says_what_is_wrong(string text, string message)
    {
        Assert.Null(Route.Parse(text, out var error));
        Assert.Equal(message, error);
    }
}
