using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Gateway.Actors.Relay;
using Gateway.Protocol.Dns;
using Gateway.Protocol.Routing;

namespace Gateway.Resolver;

/// <summary>
/// A destination's addresses: an address literal as it is; otherwise the MX hosts in order (<see cref="MxOrder"/>) when
/// the route asks for them, each host's A then AAAA records. Every DNS outcome becomes one of <see cref="NextHops"/>
/// with the reply text the delivery report will show; nothing throws.
/// </summary>
internal sealed class NextHopResolver(IReadOnlyList<NameServer> servers, TimeSpan deadline, Func<string, bool> isSelf) : INextHopResolver
{
    private readonly MxLookup _mx = new(servers, deadline);
    private readonly LookupClient? _client = DnsQuery.Client(servers, deadline, questions: 2);

    public async Task<NextHops> ResolveAsync(Route.Relay destination, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (IPAddress.TryParse(destination.Host, out var literal))
        {
            return new NextHops.Hosts([(destination.Host, literal)]);
        }

        IReadOnlyList<string> names = [destination.Host];
        if (destination.LookUpMx)
        {
            var (outcome, records) = await _mx.LookUpAsync(destination.Host, cancel).ConfigureAwait(false);
            switch (MxOrder.From(outcome, destination.Host, records, isSelf, Random.Shared))
            {
                case MxPlan.Hosts hosts:
                    names = hosts.Names;
                    break;
                case MxPlan.NullMx:
                    return new NextHops.Permanent($"556 5.1.10 domain {destination.Host} accepts no mail (null MX, RFC 7505)");
                case MxPlan.NoSuchDomain:
                    return new NextHops.Permanent($"5.1.2 domain {destination.Host} not found (NXDOMAIN)");
                case MxPlan.LoopsBack loops:
                    return new NextHops.Permanent($"5.4.6 mail for {destination.Host} loops back to myself ({loops.Self})");
                default:
                    return new NextHops.Temporary($"4.4.3 MX lookup for {destination.Host} failed temporarily");
            }
        }

        var addresses = new List<(string, IPAddress)>();
        var temporary = false;
        foreach (var name in names)
        {
            var (found, failed) = await AddressesAsync(name, cancel).ConfigureAwait(false);
            addresses.AddRange(found.Select(a => (name, a)));
            temporary |= failed;
        }

        if (addresses.Count > 0)
        {
            return new NextHops.Hosts(addresses);
        }

        return temporary
            ? new NextHops.Temporary($"4.4.3 address lookup for {string.Join(", ", names)} failed temporarily")
            : new NextHops.Permanent($"5.4.4 no address for {string.Join(", ", names)}");
    }

    private async Task<(IReadOnlyList<IPAddress> Found, bool TempFail)> AddressesAsync(string name, CancellationToken cancel)
    {
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Not asked of DNS (RFC 6761 §6.3).
            return ([IPAddress.Loopback], false);
        }

        if (_client is not { } client)
        {
            return ([], true);
        }

        var (v4, v4Records) = await DnsQuery.AskAsync(() => client.QueryAsync(name, QueryType.A, QueryClass.IN, cancel)).ConfigureAwait(false);
        var (v6, v6Records) = await DnsQuery.AskAsync(() => client.QueryAsync(name, QueryType.AAAA, QueryClass.IN, cancel)).ConfigureAwait(false);
        IReadOnlyList<IPAddress> found =
        [
            .. v4Records.OfType<ARecord>().Select(r => r.Address),
            .. v6Records.OfType<AaaaRecord>().Select(r => r.Address),
        ];
        return (found, v4 == DnsOutcome.TempFail || v6 == DnsOutcome.TempFail);
    }
}
