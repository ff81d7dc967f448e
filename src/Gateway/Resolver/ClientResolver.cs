using System.Diagnostics;
using System.Net;
using DnsClient;
using Gateway.Actors.Connection;
using Gateway.Configuration;
using Gateway.Protocol;
using Gateway.Protocol.Dns;
using Gateway.Protocol.Session;

namespace Gateway.Resolver;

/// <summary>
/// The node's reverse lookup of clients: PTR, then the name's A or AAAA records, judged by
/// <see cref="ReverseCheck"/>, within a deadline (after it: TEMP). Answers are kept per address in a bounded LRU,
/// so a busy client costs DNS once every few minutes, not once per connection, and many new addresses evict the
/// oldest answers rather than all of them. Connections that arrive while a lookup is in flight share it.
/// Thread-safe: every connection actor of the node calls it; the cache is behind one lock, held only for the
/// dictionary work, never across DNS.
/// </summary>
internal sealed class ClientResolver(IReverseDns dns, TimeSpan deadline, int capacity = ClientResolver.MaxEntries) : IClientResolver
{
    /// <summary>How long an answer is kept: the records' TTLs are not passed up by every source; five minutes is short enough for a changed PTR.</summary>
    public static readonly TimeSpan AnswerLifetime = TimeSpan.FromMinutes(5);

    /// <summary>A temporary failure is asked again sooner: the next connection may get a real answer.</summary>
    public static readonly TimeSpan TempLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Distinct client addresses kept; past it the least recently used answer goes.</summary>
    public const int MaxEntries = 100_000;

    private readonly Lock _gate = new();
    private readonly LruCache<IPAddress, Entry> _answers = new(capacity);

    /// <summary>
    /// Dns:* as configured: the given name servers alone, or else /etc/hosts first and then resolv.conf's name
    /// servers, as nsswitch's "files dns" does, but asked asynchronously (no thread waits on DNS).
    /// </summary>
    public static ClientResolver For(DnsSettings settings, string hostsFile = "/etc/hosts")
    {
        if (settings.Servers.Count > 0)
        {
            return new ClientResolver(new ServerReverseDns([.. settings.Servers.Select(s => new NameServer(s))], settings.Timeout), settings.Timeout);
        }

        var system = NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false);
        return new ClientResolver(new HostsFileReverseDns(hostsFile, new ServerReverseDns([.. system], settings.Timeout)), settings.Timeout);
    }

    public Task<ClientHost> ResolveAsync(IPAddress address, CancellationToken cancel)
    {
        // ::ffff:a.b.c.d from a dual-stack listener is an IPv4 client: its PTR is under in-addr.arpa, and it is one cache entry.
        var client = address.Unmapped();
        Entry entry;
        lock (_gate)
        {
            if (_answers.TryGet(client, out var known) && known.Fresh(Stopwatch.GetTimestamp()))
            {
                return known.Lookup;
            }

            // Only a miss allocates: a busy client's connections take the cached task as it is.
            entry = new Entry();
            _answers.Add(client, entry);
        }

        _ = CompleteAsync(entry, client);
        return entry.Lookup;
    }

    private async Task CompleteAsync(Entry entry, IPAddress client)
    {
        ClientHost host;
        try
        {
            host = await LookUpAsync(client).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // IClientResolver never throws: whatever a source did wrong, the client is TEMP.
        catch (Exception)
#pragma warning restore CA1031
        {
            host = new ClientHost(client, null, ClientResolve.Temp);
        }

        entry.Complete(host, host.Resolve == ClientResolve.Temp ? TempLifetime : AnswerLifetime);
    }

    private async Task<ClientHost> LookUpAsync(IPAddress address)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var (ptr, name) = await dns.PointerAsync(address, timeout.Token).ConfigureAwait(false);
        if (ptr != DnsOutcome.Found || ReverseCheck.Normalize(name) is not { } host)
        {
            return ReverseCheck.Judge(address, ptr, name, DnsOutcome.NotFound, []);
        }

        var (forward, addresses) = await dns.AddressesAsync(host, address.AddressFamily, timeout.Token).ConfigureAwait(false);
        return ReverseCheck.Judge(address, ptr, host, forward, [.. addresses]);
    }

    /// <summary>One address's lookup: shared while it runs, then fresh for its lifetime.</summary>
    private sealed class Entry
    {
        private readonly TaskCompletionSource<ClientHost> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _expires = long.MaxValue;

        public Task<ClientHost> Lookup => _done.Task;

        public bool Fresh(long now) => !_done.Task.IsCompleted || now < Volatile.Read(ref _expires);

        public void Complete(ClientHost host, TimeSpan lifetime)
        {
            // The expiry is set before the answer is published, so no reader sees a finished entry without it.
            Volatile.Write(ref _expires, Stopwatch.GetTimestamp() + (long)(lifetime.TotalSeconds * Stopwatch.Frequency));
            _done.TrySetResult(host);
        }
    }
}
