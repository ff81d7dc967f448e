using Org.BouncyCastle.Security;

namespace Gateway.Protocol.Tls;

/// <summary>
/// TLS 1.2 session resumption for the node's server sessions (Tls:SessionCacheTimeout, as Postfix's
/// smtpd_tls_session_cache_timeout): RFC 5077 tickets, sealed with keys every node holding the same secret derives
/// (<see cref="SessionTicketKeys"/>), so a client resumes on whichever node the balancer picks; and session IDs,
/// cached on this node only (<see cref="SessionCache"/>). A resumed session skips the key exchange and both
/// signatures. A session older than <see cref="Timeout"/> is never resumed, whatever its ticket says.
/// TLS 1.3 sessions are not resumed: BouncyCastle's server (2.7) sends no NewSessionTicket and checks PSK binders
/// as external ones only (README, "Session resumption").
/// </summary>
public sealed class TlsResumption
{
    public const int NonceLength = 12;
    private const int SessionIdLength = 32;

    private readonly TimeProvider _clock;

    private readonly Lazy<SessionTickets> _tickets;

    /// <param name="keys">
    /// Made at the first ticket sealed or opened, not before: a node's own secret must come from its generator after the
    /// EntropyActor has seeded it (SPEC R71), and the TLS options are loaded before that. An unseeded digest generator
    /// gives every node the same bytes, and a known ticket key lets anyone forge a session with any client certificate.
    /// </param>
    public TlsResumption(Func<SessionTicketKeys> keys, TimeSpan timeout, int cacheCapacity, TimeProvider clock)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a session timeout is positive (0 turns resumption off before this is made)");
        }

        _tickets = new Lazy<SessionTickets>(() => new SessionTickets(keys()), LazyThreadSafetyMode.ExecutionAndPublication);
        Timeout = timeout;
        Cache = new SessionCache(cacheCapacity);
        _clock = clock;
    }

    public TimeSpan Timeout { get; }

    public SessionTickets Tickets => _tickets.Value;

    public SessionCache Cache { get; }

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>A fresh session ID for a full handshake (RFC 5246 §7.4.1.3: up to 32 bytes).</summary>
    public static byte[] NewSessionId(SecureRandom random)
    {
        var id = new byte[SessionIdLength];
        random.NextBytes(id);
        return id;
    }

    public byte[] Seal(ResumableSession session, SecureRandom random)
    {
        var nonce = new byte[NonceLength];
        random.NextBytes(nonce);
        return Tickets.Seal(session, nonce);
    }

    /// <summary>
    /// The session a ClientHello asks to resume: its ticket when it sent one (RFC 5077 §3.4: the client's session ID
    /// is then its own, echoed when we accept), else the session its ID names in this node's cache; null for a full
    /// handshake. Either way, only a session younger than <see cref="Timeout"/>.
    /// </summary>
    public (ResumableSession Session, ResumedBy By)? Find(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> ticket)
    {
        if (sessionId.IsEmpty)
        {
            return null;
        }

        var now = Now;
        if (!ticket.IsEmpty)
        {
            return Tickets.Open(ticket, now) is { } fromTicket && Fresh(fromTicket, now) ? (fromTicket, ResumedBy.Ticket) : null;
        }

        if (Cache.Find(sessionId) is not { } cached)
        {
            return null;
        }

        if (!Fresh(cached, now))
        {
            Cache.Forget(sessionId);
            return null;
        }

        return (cached, ResumedBy.SessionId);
    }

    // A clock that jumped back makes a session look issued in the future: within the timeout either way is fresh.
    private bool Fresh(ResumableSession session, DateTimeOffset now) => (now - session.Issued).Duration() < Timeout;
}
