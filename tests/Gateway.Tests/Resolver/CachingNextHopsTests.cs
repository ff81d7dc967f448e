using System.Net;
using Gateway.Actors.Relay;
using Gateway.Protocol.Routing;
using Gateway.Resolver;

namespace Gateway.Tests.Resolver;

public sealed class CachingNextHopsTests
{
    private static readonly Route.Relay Hop = new("remote.example", 25, LookUpMx: true);

    [Fact]
    public async Task Connections_of_one_destination_share_one_lookup_until_the_answer_is_a_minute_old()
    {
        var inner = new Counting(new NextHops.Hosts([("mx.remote.example", IPAddress.Loopback)]));
        var clock = new ManualClock();
        var cache = new CachingNextHops(inner, clock);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.ResolveAsync(Hop, CancellationToken.None)));
        Assert.Equal(1, inner.Calls);

        clock.Now += TimeSpan.FromSeconds(59);
        await cache.ResolveAsync(Hop, CancellationToken.None);
        Assert.Equal(1, inner.Calls);

        clock.Now += TimeSpan.FromSeconds(1);
        await cache.ResolveAsync(Hop, CancellationToken.None);
        Assert.Equal(2, inner.Calls);

        await cache.ResolveAsync(new Route.Relay("other.example", 25, LookUpMx: true), CancellationToken.None);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task A_temporary_failure_is_asked_again_after_ten_seconds()
    {
        var inner = new Counting(new NextHops.Temporary("4.4.3 MX lookup failed temporarily"));
        var clock = new ManualClock();
        var cache = new CachingNextHops(inner, clock);

        await cache.ResolveAsync(Hop, CancellationToken.None);
        clock.Now += TimeSpan.FromSeconds(9);
        await cache.ResolveAsync(Hop, CancellationToken.None);
        Assert.Equal(1, inner.Calls);

        clock.Now += TimeSpan.FromSeconds(1);
        await cache.ResolveAsync(Hop, CancellationToken.None);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A_temporary_failure_is_asked_again_after_ten_seconds_when_the_clock_was_set_back_meanwhile()
    {
        var inner = new Counting(new NextHops.Temporary("4.4.3 MX lookup failed temporarily"));
        var clock = new ManualClock();
        var cache = new CachingNextHops(inner, clock);
        await cache.ResolveAsync(Hop, CancellationToken.None);

        clock.Step -= TimeSpan.FromHours(1);
        clock.Now += TimeSpan.FromSeconds(10);
        await cache.ResolveAsync(Hop, CancellationToken.None);

        Assert.Equal(2, inner.Calls);
    }

    private sealed class Counting(NextHops answer) : INextHopResolver
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async Task<NextHops> ResolveAsync(Route.Relay destination, CancellationToken cancel)
        {
            Interlocked.Increment(ref _calls);
            await Task.Yield();
            return answer;
        }
    }

    /// <summary><see cref="Now"/> moves both clocks; <see cref="Step"/> the wall clock alone, as a date command does.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        public TimeSpan Step { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => Now + Step;

        public override long GetTimestamp() => Now.UtcTicks;
    }
}
