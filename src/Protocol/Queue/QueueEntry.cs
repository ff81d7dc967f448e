namespace Gateway.Protocol.Queue;

/// <summary>
/// A queued message's delivery state, kept in the spool next to the message (which never changes once accepted):
/// each recipient's state in the envelope's order, how many attempts failed, when the next one is due, whether it is on
/// hold, and whether the sender was warned of the delay. A message without one yet (every message until its first
/// attempt ends) is <see cref="New"/>: writing it at acceptance would cost a second synced write before each 250.
/// </summary>
public sealed record QueueEntry(
    string Id,
    DateTimeOffset QueuedAt,
    IReadOnlyList<RecipientStatus> Recipients,
    int FailedAttempts = 0,
    DateTimeOffset? NextAttempt = null,
    bool Held = false,
    bool DelayWarned = false,
    string? LastError = null)
{
    public static QueueEntry New(string id, DateTimeOffset queuedAt, int recipients) =>
        new(id, queuedAt, [.. Enumerable.Repeat(RecipientStatus.New, recipients)]);

    /// <summary>Indexes of the recipients still to be delivered.</summary>
    public IReadOnlyList<int> Pending =>
        [.. Recipients.Select((r, i) => (r, i)).Where(x => x.r.State == RecipientState.Pending).Select(x => x.i)];

    /// <summary>Every recipient has a final outcome and every report owed is in the spool: the message may go.</summary>
    public bool Finished => Recipients.All(r => r.State != RecipientState.Pending && r.Reported);
}
