namespace Gateway.Protocol.Queue;

/// <summary>Where one recipient of a queued message stands. Only <see cref="Pending"/> is tried again.</summary>
public enum RecipientState
{
    /// <summary>Not delivered yet: tried at the next attempt.</summary>
    Pending,

    /// <summary>A next hop (or the Maildir) took it: final.</summary>
    Delivered,

    /// <summary>Refused permanently, or given up at the end of the queue lifetime: final, and bounced if the sender wants it.</summary>
    Failed,
}
