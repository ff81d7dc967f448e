namespace Gateway.Actors.Queue;

/// <summary>One message as <c>gateway queue list</c> shows it (Postfix's mailq: id, size, arrival, sender, then each recipient with why it waits).</summary>
public sealed record QueueListing(
    string Id,
    string State,
    long Size,
    DateTimeOffset QueuedAt,
    string Sender,
    IReadOnlyList<QueueListingRecipient> Recipients,
    int FailedAttempts,
    DateTimeOffset? NextAttempt,
    string? LastError);

/// <summary>A recipient of a listed message: pending, delivered or failed, with the last reply about it.</summary>
public sealed record QueueListingRecipient(string Address, string State, string? Reply, string? RemoteMta);
