namespace Gateway.Actors.Queue;

/// <summary>Messages between the connections, the queue and delivery on one node.</summary>
public static class QueueProtocol
{
    /// <summary>A connection committed a message to the spool and answered 250.</summary>
    public sealed record MessageSpooled(string Id);

    /// <summary>Ask the queue how much it holds (for tests, health checks and status).</summary>
    public sealed record GetQueueStatus
    {
        public static readonly GetQueueStatus Instance = new();
    }

    public sealed record QueueStatus(int Waiting, int InFlight, long Delivered, long Deferred);
}
