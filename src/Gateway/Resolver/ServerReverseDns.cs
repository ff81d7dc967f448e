using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Gateway.Protocol.Dns;

namespace Gateway.Resolver;

/// <summary>
/// Asks name servers directly with DnsClient.NET (UDP, TCP when truncated), fully asynchronous: the configured
/// Dns:Servers, or resolv.conf's. The servers are tried in order, each attempt with its share of the deadline, and
/// a SERVFAIL moves on to the next server. No cache here (<see cref="ClientResolver"/> keeps one per node) and no
/// exceptions out: SERVFAIL from all, REFUSED and timeouts are temporary failures, NXDOMAIN and an empty answer a
/// permanent "no". Without any server every question is a temporary failure.
/// </summary>
internal sealed class ServerReverseDns : IReverseDns
{
    private readonly LookupClient? _client;

    // Two questions in a row (PTR, then A/AAAA), each server with its tries, all within the deadline.
    public ServerReverseDns(IReadOnlyList<NameServer> servers, TimeSpan deadline) => _client = DnsQuery.Client(servers, deadline, questions: 2);

    public async Task<(DnsOutcome Outcome, string? Name)> PointerAsync(IPAddress address, CancellationToken cancel)
    {
        if (_client is not { } client)
        {
            return (DnsOutcome.TempFail, null);
        }

        var (outcome, records) = await DnsQuery.AskAsync(() => client.QueryReverseAsync(address, cancel)).ConfigureAwait(false);
        var name = records.OfType<PtrRecord>().FirstOrDefault()?.PtrDomainName.Value;
        return outcome == DnsOutcome.Found && name is null ? (DnsOutcome.NotFound, null) : (outcome, name);
    }

    public async Task<(DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses)> AddressesAsync(string name, AddressFamily family, CancellationToken cancel)
    {
        if (_client is not { } client)
        {
            return (DnsOutcome.TempFail, []);
        }

        var type = family == AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A;
        var (outcome, records) = await DnsQuery.AskAsync(() => client.QueryAsync(name, type, QueryClass.IN, cancel)).ConfigureAwait(false);
        IReadOnlyList<IPAddress> addresses = [.. records.OfType<AddressRecord>().Select(r => r.Address)];
        return outcome == DnsOutcome.Found && addresses.Count == 0 ? (DnsOutcome.NotFound, []) : (outcome, addresses);
    }
}
