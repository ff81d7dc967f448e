using Gateway.Protocol.Status;

namespace Gateway.Actors.Queue;

/// <summary>Messages between the connections, the queue and its operators on one node.</summary>
public static class QueueProtocol
{
    /// <summary>A connection committed a message to the spool and answered 250.</summary>
    public sealed record MessageSpooled(string Id);

    /// <summary>Ask the queue how much it holds (for tests, health checks and status).</summary>
    public sealed record GetQueueStatus
    {
        public static readonly GetQueueStatus Instance = new();
    }

    /// <param name="Waiting">Due now, waiting for a free attempt slot.</param>
    /// <param name="InFlight">In an attempt.</param>
    /// <param name="Delivered">Messages finished (every recipient final) since start.</param>
    /// <param name="Deferred">Attempts that left recipients pending since start.</param>
    public sealed record QueueStatus(int Waiting, int InFlight, long Delivered, long Deferred)
    {
        /// <summary>Waiting for their next attempt time.</summary>
        public int Scheduled { get; init; }

        /// <summary>On hold (an operator's hold, or an undeliverable report kept for the postmaster).</summary>
        public int Held { get; init; }

        /// <summary>When the oldest message still queued was received (before its first read: when this node learnt of it); null when empty.</summary>
        public DateTimeOffset? Oldest { get; init; }

        /// <summary>The destinations with the most pending recipients, each with its last error (messages read from the spool only).</summary>
        public IReadOnlyList<DestinationSummary> Destinations { get; init; } = [];
    }
}

/// <summary>
/// What <c>gateway queue</c> asks the queue. Each is answered: <see cref="ListQueue"/> with a <see cref="QueueList"/>,
/// the others with a <see cref="QueueControlDone"/>.
/// </summary>
public static class QueueControl
{
    public sealed record ListQueue
    {
        public static readonly ListQueue Instance = new();
    }

    /// <summary>Every message waiting for its next attempt (<paramref name="Id"/> null), or one, is tried now.</summary>
    public sealed record Flush(string? Id);

    public sealed record Hold(string Id);

    public sealed record Release(string Id);

    /// <summary>Removed from the spool without a report, as Postfix's postsuper -d.</summary>
    public sealed record Delete(string Id);

    /// <summary>Every pending recipient fails now, and the sender gets a report as NOTIFY asks.</summary>
    public sealed record Bounce(string Id);

    public sealed record QueueList(IReadOnlyList<QueueListing> Messages);

    /// <summary><paramref name="Ok"/> false: nothing was done, and <paramref name="Text"/> says why.</summary>
    public sealed record QueueControlDone(bool Ok, string Text);
}
