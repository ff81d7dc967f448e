using System.Net;
using System.Net.Sockets;
using Gateway.Protocol.Dns;

namespace Gateway.Resolver;

/// <summary>
/// The system's resolver (getnameinfo/getaddrinfo through nsswitch: /etc/hosts, then resolv.conf's servers), as
/// sendmail and Postfix use it for the client's name. .NET runs the reverse lookup as a blocking call on a
/// thread-pool thread, so at most <paramref name="concurrency"/> run at once; the rest wait without a thread.
/// </summary>
internal sealed class SystemReverseDns(int concurrency = 16) : IReverseDns, IDisposable
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    public async Task<(DnsOutcome Outcome, string? Name)> PointerAsync(IPAddress address, CancellationToken cancel)
    {
        try
        {
            await _slots.WaitAsync(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return (DnsOutcome.TempFail, null);
        }

        try
        {
            var entry = await System.Net.Dns.GetHostEntryAsync(address.ToString(), address.AddressFamily, cancel).ConfigureAwait(false);
            return string.IsNullOrEmpty(entry.HostName) || IPAddress.TryParse(entry.HostName, out _) ? (DnsOutcome.NotFound, null) : (DnsOutcome.Found, entry.HostName);
        }
        catch (SocketException e)
        {
            return (Outcome(e), null);
        }
        catch (OperationCanceledException)
        {
            return (DnsOutcome.TempFail, null);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task<(DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses)> AddressesAsync(string name, AddressFamily family, CancellationToken cancel)
    {
        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(name, family, cancel).ConfigureAwait(false);
            return addresses.Length > 0 ? (DnsOutcome.Found, addresses) : (DnsOutcome.NotFound, []);
        }
        catch (SocketException e)
        {
            return (Outcome(e), []);
        }
        catch (OperationCanceledException)
        {
            return (DnsOutcome.TempFail, []);
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>EAI_NONAME / EAI_NODATA are answers; EAI_AGAIN and anything else mean "ask again later".</summary>
    private static DnsOutcome Outcome(SocketException e) =>
        e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData ? DnsOutcome.NotFound : DnsOutcome.TempFail;
}
