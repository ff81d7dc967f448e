using System.Net;
using Gateway.Protocol.Dns;

namespace Gateway.Resolver;

/// <summary>The two DNS questions of a forward-confirmed reverse lookup; <see cref="ClientResolver"/> asks, judges and caches.</summary>
internal interface IReverseDns
{
    /// <summary>The address's PTR name (the first one), or why there is none. Never throws.</summary>
    Task<(DnsOutcome Outcome, string? Name)> PointerAsync(IPAddress address, CancellationToken cancel);

    /// <summary>The name's addresses of <paramref name="family"/> (A or AAAA), or why there are none. Never throws.</summary>
    Task<(DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses)> AddressesAsync(string name, System.Net.Sockets.AddressFamily family, CancellationToken cancel);
}
