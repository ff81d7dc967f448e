using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Gateway.Protocol.Dns;

namespace Gateway.Resolver;

/// <summary>
/// Dns:Servers: asks the configured name servers directly with DnsClient.NET (UDP, TCP when truncated), fully
/// asynchronous. No cache here (<see cref="ClientResolver"/> keeps one per node) and no exceptions out: SERVFAIL,
/// REFUSED and timeouts are temporary failures, NXDOMAIN and an empty answer a permanent "no".
/// </summary>
internal sealed class ServerReverseDns : IReverseDns
{
    private readonly LookupClient _client;

    public ServerReverseDns(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout)
    {
        _client = new LookupClient(new LookupClientOptions([.. servers])
        {
            UseCache = false,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            Timeout = timeout,
            Retries = 1,
        });
    }

    public async Task<(DnsOutcome Outcome, string? Name)> PointerAsync(IPAddress address, CancellationToken cancel)
    {
        var (outcome, records) = await AskAsync(() => _client.QueryReverseAsync(address, cancel)).ConfigureAwait(false);
        var name = records.OfType<PtrRecord>().FirstOrDefault()?.PtrDomainName.Value;
        return outcome == DnsOutcome.Found && name is null ? (DnsOutcome.NotFound, null) : (outcome, name);
    }

    public async Task<(DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses)> AddressesAsync(string name, AddressFamily family, CancellationToken cancel)
    {
        var type = family == AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A;
        var (outcome, records) = await AskAsync(() => _client.QueryAsync(name, type, QueryClass.IN, cancel)).ConfigureAwait(false);
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
