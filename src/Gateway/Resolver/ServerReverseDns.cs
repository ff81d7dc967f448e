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
    private const int Retries = 1;

    private static readonly TimeSpan MinAttempt = TimeSpan.FromMilliseconds(500);

    private readonly LookupClient? _client;

    public ServerReverseDns(IReadOnlyList<NameServer> servers, TimeSpan deadline)
    {
        if (servers.Count == 0)
        {
            return;
        }

        // Every server gets its tries within the deadline; the whole lookup (PTR, then A/AAAA) is also cut at it.
        var attempt = deadline / ((Retries + 1) * servers.Count * 2);
        _client = new LookupClient(new LookupClientOptions([.. servers])
        {
            UseCache = false,
            ThrowDnsErrors = false,
            ContinueOnDnsError = true,
            UseRandomNameServer = false,
            Timeout = attempt > MinAttempt ? attempt : MinAttempt,
            Retries = Retries,
        });
    }

    public async Task<(DnsOutcome Outcome, string? Name)> PointerAsync(IPAddress address, CancellationToken cancel)
    {
        if (_client is not { } client)
        {
            return (DnsOutcome.TempFail, null);
        }

        var (outcome, records) = await AskAsync(() => client.QueryReverseAsync(address, cancel)).ConfigureAwait(false);
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
        var (outcome, records) = await AskAsync(() => client.QueryAsync(name, type, QueryClass.IN, cancel)).ConfigureAwait(false);
        IReadOnlyList<IPAddress> addresses = [.. records.OfType<AddressRecord>().Select(r => r.Address)];
        return outcome == DnsOutcome.Found && addresses.Count == 0 ? (DnsOutcome.NotFound, []) : (outcome, addresses);
    }

    private static async Task<(DnsOutcome Outcome, IReadOnlyList<DnsResourceRecord> Records)> AskAsync(Func<Task<IDnsQueryResponse>> query)
    {
        try
        {
            var response = await query().ConfigureAwait(false);
            return response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError => (DnsOutcome.Found, response.Answers),
                DnsHeaderResponseCode.NotExistentDomain => (DnsOutcome.NotFound, []),
                _ => (DnsOutcome.TempFail, []),
            };
        }
        catch (Exception e) when (e is DnsResponseException or OperationCanceledException or SocketException)
        {
            return (DnsOutcome.TempFail, []);
        }
    }
}
