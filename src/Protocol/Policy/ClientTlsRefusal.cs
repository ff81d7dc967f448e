using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Policy;

/// <summary>
/// A TLS refusal on the relaying side (tls_server R24, tls_rcpt R26): the reply sendmail records, never sent to the
/// server, and how the queue and the delivery report show it. The first digit decides: 4xx stays queued, 5xx fails.
/// </summary>
public sealed record ClientTlsRefusal(Reply Reply)
{
    /// <summary>5xx: the recipients fail and a delivery report is sent; 4xx: they stay queued and are retried (R24).</summary>
    public bool Permanent => Reply.IsPermanentFailure;

    /// <summary>The enhanced status for the delivery report (the hook's, R26).</summary>
    public EnhancedStatus Status => Reply.Status ?? (Permanent ? new EnhancedStatus(5, 7, 0) : new EnhancedStatus(4, 7, 0));

    /// <summary>The reply as one line, e.g. <c>454 4.7.0 encryption too weak 0 less than 112</c>: the delivery report's diagnostic.</summary>
    public string Diagnostic => Reply.ToString();

    /// <summary>
    /// sendmail's status of a deferred recipient, as its queue listing and <c>stat=</c> log field show it:
    /// <c>Deferred: 403 4.7.0 TLS handshake failed.</c>; null when the refusal is permanent (nothing stays queued).
    /// </summary>
    public string? QueueStatus => Permanent ? null : $"Deferred: {Diagnostic}";
}
