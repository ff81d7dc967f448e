namespace Gateway.Protocol.Status;

/// <summary>
/// One node's queue: messages by state, the oldest one's arrival, and the destinations with the most waiting, each
/// with the last error that held it back (why mail waits, not only how much).
/// </summary>
public sealed record QueueSummary(
    int Waiting,
    int Active,
    int Scheduled,
    int Held,
    DateTimeOffset? Oldest,
    IReadOnlyList<DestinationSummary> Destinations)
{
    public static readonly QueueSummary Empty = new(0, 0, 0, 0, null, []);

    /// <summary>Every message the queue holds, whatever its state.</summary>
    public int Messages => Waiting + Active + Scheduled + Held;
}
