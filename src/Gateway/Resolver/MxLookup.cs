using DnsClient;
using Gateway.Protocol.Dns;
using Gateway.Protocol.Routing;
using DnsMx = DnsClient.Protocol.MxRecord;

namespace Gateway.Resolver;

/// <summary>
/// A mail domain's MX records from the configured name servers (Dns:Servers, or resolv.conf's), asynchronously and
/// within a deadline. An answer without MX records (NODATA) is an empty list: the domain itself is then the implicit
/// MX (RFC 5321 §5.1). What the records mean (order, null MX, loops) is <see cref="MxOrder"/>'s, in Protocol.
/// </summary>
internal sealed class MxLookup(IReadOnlyList<NameServer> servers, TimeSpan deadline)
{
    private readonly LookupClient? _client = DnsQuery.Client(servers, deadline, questions: 1);

    public async Task<(DnsOutcome Outcome, IReadOnlyList<MxRecord> Records)> LookUpAsync(string domain, CancellationToken cancel)
    {
        if (_client is not { } client)
        {
            return (DnsOutcome.TempFail, []);
        }

        var (outcome, records) = await DnsQuery.AskAsync(() => client.QueryAsync(domain, QueryType.MX, QueryClass.IN, cancel)).ConfigureAwait(false);
        IReadOnlyList<MxRecord> mx = [.. records.OfType<DnsMx>().Select(r => new MxRecord(r.Preference, r.Exchange.Value))];
        return (outcome, mx);
    }
}
