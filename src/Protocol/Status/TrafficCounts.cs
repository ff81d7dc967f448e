namespace Gateway.Protocol.Status;

/// <summary>
/// One node's counts since start and its rates over the last publication interval. The rates are computed where the
/// counts are (the node), so a reader needs no two records to show them.
/// </summary>
/// <param name="Accepted">Messages committed to the spool and answered 250.</param>
/// <param name="Refused">Message bodies refused after DATA or BDAT.</param>
/// <param name="Handshakes">Server TLS handshakes that completed.</param>
/// <param name="HandshakesFailed">Server TLS handshakes that failed, timed out or were abandoned by the client.</param>
public sealed record TrafficCounts(
    long Accepted,
    long Refused,
    long Handshakes,
    long HandshakesFailed,
    double MessagesPerSecond,
    double HandshakesPerSecond);
