using Gateway.Protocol.Queue;

namespace Gateway.Actors.Queue;

public sealed partial class QueueActor
{
    /// <summary>What the listing shows of a message once it has been read: the envelope's facts and the entry.</summary>
    private sealed record Summary(string Sender, IReadOnlyList<string> Recipients, long Size, QueueEntry Entry)
    {
        public static Summary Of(SpooledMessage message, QueueEntry entry) => new(
            message.Envelope.ReversePath?.ToString() ?? "",
            [.. message.Envelope.Recipients.Select(r => r.Address.ToString())],
            message.Content.Length,
            entry);

        public QueueListing Listing(string id, string state) => new(
            id,
            state,
            Size,
            Entry.QueuedAt,
            Sender,
            [.. Recipients.Select((address, i) => new QueueListingRecipient(
                address, Entry.Recipients[i].State.ToString().ToLowerInvariant(), Entry.Recipients[i].Reply, Entry.Recipients[i].RemoteMta))],
            Entry.FailedAttempts,
            Entry.NextAttempt,
            Entry.LastError);
    }
}
