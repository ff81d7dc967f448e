namespace Gateway.Protocol.Status;

/// <summary>
/// A node's recent history, oldest point first, one point per <paramref name="IntervalSeconds"/>: sessions open at the
/// end of the interval, and messages accepted and TLS handshakes completed during it. Fixed-size (the status page
/// draws the last 15 minutes) so that a record never grows with uptime.
/// </summary>
public sealed record StatusSeries(int IntervalSeconds, IReadOnlyList<int> Sessions, IReadOnlyList<int> Messages, IReadOnlyList<int> Handshakes)
{
    /// <summary>15 minutes of 10-second points: fine enough to see a load start, small enough to gossip.</summary>
    public const int DefaultIntervalSeconds = 10;

    public const int DefaultCapacity = 90;

    public static StatusSeries Empty(int intervalSeconds = DefaultIntervalSeconds) => new(intervalSeconds, [], [], []);

    /// <summary>This series with one more point; the oldest falls off beyond <paramref name="capacity"/> points.</summary>
    public StatusSeries Append(int sessions, int messages, int handshakes, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return this with
        {
            Sessions = Push(Sessions, sessions, capacity),
            Messages = Push(Messages, messages, capacity),
            Handshakes = Push(Handshakes, handshakes, capacity),
        };
    }

    private static int[] Push(IReadOnlyList<int> points, int point, int capacity)
    {
        var skip = Math.Max(0, points.Count + 1 - capacity);
        var next = new int[points.Count - skip + 1];
        for (var i = skip; i < points.Count; i++)
        {
            next[i - skip] = points[i];
        }

        next[^1] = point;
        return next;
    }
}
