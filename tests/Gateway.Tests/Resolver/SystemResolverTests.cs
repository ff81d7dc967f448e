using System.Net;
using Gateway.Protocol.Session;
using Gateway.Resolver;

namespace Gateway.Tests.Resolver;

/// <summary>
/// The default resolver goes through the system (nsswitch): loopback has its name in /etc/hosts on every Linux
/// machine, PTR and forward alike, so it is the one lookup a test can make of the real resolver without DNS.
/// </summary>
public sealed class SystemResolverTests
{
    [Fact]
    public async Task Loopback_resolves_through_the_hosts_file_and_is_confirmed()
    {
        using var dns = new SystemReverseDns();
        var resolver = new ClientResolver(dns, TimeSpan.FromSeconds(10));

        var host = await resolver.ResolveAsync(IPAddress.Loopback, CancellationToken.None);

        Assert.Equal(ClientResolve.Ok, host.Resolve);
        Assert.False(string.IsNullOrEmpty(host.PtrName));
        Assert.Equal(host.PtrName, host.Name);
    }
}
