using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Dsn;

/// <summary>
/// One recipient's line in a delivery report (RFC 3464 §2.3): what happened, its enhanced status, and where known the
/// next hop that answered (<paramref name="RemoteMta"/>, a host name) with its reply (<paramref name="Diagnostic"/>, as
/// sent, e.g. "550 5.1.1 &lt;bob@example.net&gt;: user unknown").
/// </summary>
public sealed record RecipientOutcome(
    Recipient Recipient,
    DsnAction Action,
    EnhancedStatus Status,
    string? RemoteMta = null,
    string? Diagnostic = null,
    DateTimeOffset? LastAttempt = null,
    DateTimeOffset? WillRetryUntil = null);
