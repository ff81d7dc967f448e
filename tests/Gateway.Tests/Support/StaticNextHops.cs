using System.Net;
using Gateway.Actors.Relay;
using Gateway.Protocol.Routing;

namespace Gateway.Tests.Support;

/// <summary>A resolver from a table (host name → address); an address literal as it is; anything else has no address (5.4.4).</summary>
public sealed class StaticNextHops(IReadOnlyDictionary<string, IPAddress>? hosts = null) : INextHopResolver
{
    public Task<NextHops> ResolveAsync(Route.Relay destination, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (IPAddress.TryParse(destination.Host, out var literal))
        {
            return Task.FromResult<NextHops>(new NextHops.Hosts([(destination.Host, literal)]));
        }

        return Task.FromResult<NextHops>(hosts is not null && hosts.TryGetValue(destination.Host, out var address)
            ? new NextHops.Hosts([(destination.Host, address)])
            : new NextHops.Permanent($"5.4.4 no address for {destination.Host}"));
    }
}
