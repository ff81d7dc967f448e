using Gateway.Protocol.Routing;

namespace Gateway.Actors.Relay;

/// <summary>Finds a destination's addresses (MX lookup, then A/AAAA); implemented in Gateway with DnsClient, in tests by a table.</summary>
public interface INextHopResolver
{
    /// <summary>Never faults: a DNS failure is <see cref="NextHops.Temporary"/>.</summary>
    Task<NextHops> ResolveAsync(Route.Relay destination, CancellationToken cancel);
}
