using System.Net;
using Gateway.Configuration;
using Gateway.Protocol.Session;
using Gateway.Resolver;

namespace Gateway.Tests.Resolver;

/// <summary>
/// The default resolver reads /etc/hosts before it asks resolv.conf's name servers: loopback has its name there on
/// every Linux machine, PTR and forward alike, so it is the one lookup a test can make of the real set-up without DNS.
/// </summary>
public sealed class SystemResolverTests
{
    [Fact]
    public async Task Loopback_resolves_through_the_hosts_file_and_is_confirmed()
    {
        var resolver = ClientResolver.For(DnsSettings.Default);

        var host = await resolver.ResolveAsync(IPAddress.Loopback, CancellationToken.None);

        Assert.Equal(ClientResolve.Ok, host.Resolve);
        Assert.False(string.IsNullOrEmpty(host.PtrName));
        Assert.Equal(host.PtrName, host.Name);
    }
}
