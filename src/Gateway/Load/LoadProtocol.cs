namespace Gateway.Load;

/// <summary>
/// Messages between the <see cref="LoadCoordinator"/> and its <see cref="LoadClient"/>s. A client asks for
/// a permit before every message it sends (<see cref="Want"/>); the coordinator answers <see cref="Go"/> or
/// <see cref="Finish"/>, which is how a count, a duration, a rate and Ctrl-C all bound the run in one place.
/// Times are <see cref="System.Diagnostics.Stopwatch"/> timestamps.
/// </summary>
internal static class LoadProtocol
{
    /// <summary>A client wants to send a message: on a new connection, or as the next transaction on its open one.</summary>
    public sealed record Want(bool InSession, bool SessionMeasured);

    /// <summary>
    /// Send one message. <paramref name="Measured"/> is false during warm-up. With <c>--rate</c>,
    /// <paramref name="ScheduledAt"/> is when the schedule wanted it sent, and latency counts from there, so a
    /// server that stalls the clients is not flattered by the messages they could not send (coordinated omission).
    /// </summary>
    public sealed record Go(bool Measured, long ScheduledAt);

    /// <summary>No more messages (or, with --hold, the hold is over): QUIT if connected, then stop.</summary>
    public sealed class Finish
    {
        public static readonly Finish Instance = new();

        private Finish()
        {
        }
    }

    /// <summary>--hold: the client's session is open (after EHLO, or EHLO again after STARTTLS) and now idle.</summary>
    public sealed class Holding
    {
        public static readonly Holding Instance = new();

        private Holding()
        {
        }
    }

    /// <summary>One message ended: accepted (a 2yz to the final dot) with its latency, or failed (<paramref name="Latency"/> null).</summary>
    public sealed record TransactionEnded(bool Measured, long? Latency, long At);

    /// <summary>One connection ended, cleanly or not, with what it saw.</summary>
    public sealed record SessionEnded(SessionOutcome Outcome);

    /// <summary>Ctrl-C: stop giving permits, let open sessions QUIT for a short grace, then report.</summary>
    public sealed class Interrupt
    {
        public static readonly Interrupt Instance = new();

        private Interrupt()
        {
        }
    }
}

/// <summary>What one connection saw. Latencies are in Stopwatch ticks; null when the step never happened.</summary>
/// <param name="Connect">TCP connect to the greeting.</param>
/// <param name="Handshake">The 220 to STARTTLS to the TLS session being established.</param>
/// <param name="Session">Connect (or the scheduled time) to the connection's end.</param>
/// <param name="Replies">Every reply code received, with how often.</param>
/// <param name="Tls">"TLSv1.3 TLS_AES_256_GCM_SHA384" and the {verify} of the server's certificate, after a handshake.</param>
internal sealed record SessionOutcome(
    bool Measured,
    long At,
    long? Connect,
    long? Handshake,
    bool HandshakeFailed,
    long Session,
    IReadOnlyDictionary<int, int> Replies,
    (string Suite, string Verify)? Tls,
    LoadError? Error);

/// <summary>What went wrong, by kind (the report counts kinds) with the first detail seen for each.</summary>
internal sealed record LoadError(string Kind, string Detail);
