using Gateway.Actors.Relay;
using Gateway.Protocol;
using Gateway.Protocol.Routing;

namespace Gateway.Resolver;

/// <summary>
/// A destination's addresses, looked up once and shared: every connection a destination opens (up to 20 at once) asks
/// the resolver, and without this each would ask DNS for the same MX and A records. Concurrent askers share one
/// lookup; an answer is kept <see cref="AnswerLifetime"/> (a failure <see cref="FailureLifetime"/>, so a DNS outage is
/// asked again soon); at most <see cref="MaxEntries"/> destinations, least recently used first out.
/// </summary>
internal sealed class CachingNextHops(INextHopResolver inner, TimeProvider clock, int capacity = CachingNextHops.MaxEntries) : INextHopResolver
{
    public const int MaxEntries = 10_000;

    /// <summary>Short next to DNS TTLs (an MX change is seen within a minute), long next to a burst of connections.</summary>
    public static readonly TimeSpan AnswerLifetime = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    // Asked is a monotonic timestamp: a wall clock set back an hour would keep a cached DNS failure (and so every
    // message to that destination deferred) for an hour.
    private readonly LruCache<Route.Relay, (Task<NextHops> Lookup, long Asked)> _answers = new(capacity);

    public Task<NextHops> ResolveAsync(Route.Relay destination, CancellationToken cancel)
    {
        var now = clock.GetTimestamp();
        lock (_gate)
        {
            if (_answers.TryGet(destination, out var known) && Fresh(known.Lookup, known.Asked, now))
            {
                return known.Lookup;
            }

            // Not the caller's token: the shared lookup must not be cancelled by the first connection that gives up.
            var lookup = inner.ResolveAsync(destination, CancellationToken.None);
            _answers.Add(destination, (lookup, now));
            return lookup;
        }
    }

    private bool Fresh(Task<NextHops> lookup, long asked, long now)
    {
        if (!lookup.IsCompleted)
        {
            return true;
        }

        var lifetime = lookup.IsCompletedSuccessfully && lookup.Result is NextHops.Hosts or NextHops.Permanent ? AnswerLifetime : FailureLifetime;
        return clock.GetElapsedTime(asked, now) < lifetime;
    }
}
