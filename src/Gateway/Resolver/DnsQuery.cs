using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Gateway.Protocol.Dns;

namespace Gateway.Resolver;

/// <summary>
/// What every question to the configured name servers shares: one DnsClient.NET client (no cache of its own, no
/// exceptions for DNS errors, the servers in order, each attempt with its share of the deadline), and the reading of
/// an answer as found, not found (NXDOMAIN) or a temporary failure (SERVFAIL from all, REFUSED, timeouts).
/// </summary>
internal static class DnsQuery
{
    public const int Retries = 1;

    private static readonly TimeSpan MinAttempt = TimeSpan.FromMilliseconds(500);

    /// <summary>A client whose tries all fit in <paramref name="deadline"/> for <paramref name="questions"/> questions in a row; null without servers.</summary>
    public static LookupClient? Client(IReadOnlyList<NameServer> servers, TimeSpan deadline, int questions)
    {
        if (servers.Count == 0)
        {
            return null;
        }

        var attempt = deadline / ((Retries + 1) * servers.Count * questions);
        return new LookupClient(new LookupClientOptions([.. servers])
        {
            UseCache = false,
            ThrowDnsErrors = false,
            ContinueOnDnsError = true,
            UseRandomNameServer = false,
            Timeout = attempt > MinAttempt ? attempt : MinAttempt,
            Retries = Retries,
        });
    }

    public static async Task<(DnsOutcome Outcome, IReadOnlyList<DnsResourceRecord> Records)> AskAsync(Func<Task<IDnsQueryResponse>> query)
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
