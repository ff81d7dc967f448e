namespace Gateway.Protocol.Dsn;

/// <summary>RFC 3464 §2.3.3: what became of a recipient, as the Action field says it.</summary>
public enum DsnAction
{
    /// <summary>Given up: a permanent failure, or the message outlived its queue lifetime.</summary>
    Failed,

    /// <summary>Not delivered yet, still being retried (the delay warning).</summary>
    Delayed,

    /// <summary>Delivered (only reported when NOTIFY asked for SUCCESS).</summary>
    Delivered,

    /// <summary>Passed to a next hop that does not do DSN (only reported when NOTIFY asked for SUCCESS).</summary>
    Relayed,
}
