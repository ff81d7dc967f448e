using Gateway.Protocol.Dsn;

namespace Gateway.Protocol.Queue;

/// <summary>What one delivery attempt did for one recipient.</summary>
public enum AttemptResultKind
{
    Delivered,

    /// <summary>4xx, a lost connection, a dead destination: the recipient stays queued.</summary>
    Deferred,

    /// <summary>5xx, or refused before sending (5.6.7, 5.3.4, a PERM+ TLS requirement): the recipient fails.</summary>
    Failed,
}

/// <summary>
/// The outcome of one attempt for the recipient at <paramref name="Index"/> of the envelope. <paramref name="Reply"/> is
/// the reply as sent ("250 2.0.0 Ok: queued as 4F3A", "550 5.1.1 user unknown") or the gateway's own words for what
/// happened ("4.4.1 connect to mx.example.net[192.0.2.1]:25: Connection refused"). <paramref name="Success"/> says, for a
/// delivered recipient, what a NOTIFY=SUCCESS is answered with here (RFC 3461 §4.2): Delivered for the Maildir, Relayed for
/// a next hop that did not offer DSN; null for a next hop that took NOTIFY, which then reports itself.
/// </summary>
public sealed record AttemptResult(int Index, AttemptResultKind Kind, string Reply, string? RemoteMta = null, DsnAction? Success = null);
