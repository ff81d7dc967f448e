using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Gateway.Actors.Connection;
using Gateway.Protocol.Dns;
using Gateway.Protocol.Session;

namespace Gateway.Resolver;

/// <summary>
/// The node's reverse lookup of clients: PTR, then the name's A or AAAA records, judged by
/// <see cref="ReverseCheck"/>, within a deadline (after it: TEMP). Answers are kept per address, so a busy client
/// costs DNS once every few minutes, not once per connection; connections that arrive while a lookup is in flight
/// share it. Thread-safe: every connection actor of the node calls it.
/// </summary>
internal sealed class ClientResolver(IReverseDns dns, TimeSpan deadline) : IClientResolver
{
    /// <summary>How long an answer is kept. The system resolver does not say a record's TTL; five minutes is short enough for a changed PTR.</summary>
    public static readonly TimeSpan AnswerLifetime = TimeSpan.FromMinutes(5);

    /// <summary>A temporary failure is asked again sooner: the next connection may get a real answer.</summary>
    public static readonly TimeSpan TempLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Distinct client addresses kept; past it, expired answers go, and if that is not enough, all of them.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Entry> _answers = new();

    public Task<ClientHost> ResolveAsync(IPAddress address, CancellationToken cancel)
    {
        var now = Stopwatch.GetTimestamp();
        if (_answers.TryGetValue(address, out var known) && (!known.Lookup.IsCompleted || now < known.Expires))
        {
            return known.Lookup;
        }

        var entry = new Entry(LookUpAsync(address));
        _answers[address] = entry;
        _ = entry.Lookup.ContinueWith(
            done => entry.Expires = Stopwatch.GetTimestamp() + Ticks(done.Result.Resolve == ClientResolve.Temp ? TempLifetime : AnswerLifetime),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        if (_answers.Count > MaxEntries)
        {
            Trim(now);
        }

        return entry.Lookup;
    }

    private async Task<ClientHost> LookUpAsync(IPAddress address)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var (ptr, name) = await dns.PointerAsync(address, timeout.Token).ConfigureAwait(false);
        if (ptr != DnsOutcome.Found || ReverseCheck.Normalize(name) is not { } host)
        {
            return ReverseCheck.Judge(address, ptr, name, DnsOutcome.NotFound, []);
        }

        var family = address.IsIPv4MappedToIPv6 ? System.Net.Sockets.AddressFamily.InterNetwork : address.AddressFamily;
        var (forward, addresses) = await dns.AddressesAsync(host, family, timeout.Token).ConfigureAwait(false);
        return ReverseCheck.Judge(address, ptr, host, forward, [.. addresses]);
    }

    private void Trim(long now)
    {
        foreach (var (address, entry) in _answers)
        {
            if (entry.Lookup.IsCompleted && now >= entry.Expires)
            {
                _answers.TryRemove(address, out _);
            }
        }

        if (_answers.Count > MaxEntries)
        {
            _answers.Clear();
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class Entry(Task<ClientHost> lookup)
    {
        public Task<ClientHost> Lookup { get; } = lookup;

        /// <summary>Set when the lookup completes; until then the entry is shared, never expired.</summary>
        public long Expires { get; set; } = long.MaxValue;
    }
}
