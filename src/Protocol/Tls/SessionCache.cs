using System.Collections.Concurrent;

namespace Gateway.Protocol.Tls;

/// <summary>
/// This node's TLS 1.2 sessions by session ID (RFC 5246 §7.4.1.2), for clients that resume without tickets. It
/// holds master secrets, so it never leaves the node: a client resuming by ID on another node behind the balancer
/// gets a full handshake there (tickets resume anywhere). Bounded: beyond <see cref="Capacity"/> sessions the
/// oldest are forgotten first, so a client opening sessions without end cannot grow it (each entry is a few
/// hundred bytes plus the client's chain).
/// </summary>
public sealed class SessionCache(int capacity)
{
    private readonly ConcurrentDictionary<string, ResumableSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _age = new();

    public int Capacity => capacity;

    public int Count => _sessions.Count;

    public void Remember(ReadOnlySpan<byte> sessionId, ResumableSession session)
    {
        if (capacity <= 0)
        {
            return;
        }

        var key = Convert.ToHexString(sessionId);
        if (_sessions.TryAdd(key, session))
        {
            _age.Enqueue(key);
        }

        // Evict in insertion order; a key dequeued for an entry already taken out (Forget) just goes.
        while (_sessions.Count > capacity && _age.TryDequeue(out var oldest))
        {
            _sessions.TryRemove(oldest, out _);
        }
    }

    public ResumableSession? Find(ReadOnlySpan<byte> sessionId) =>
        _sessions.TryGetValue(Convert.ToHexString(sessionId), out var session) ? session : null;

    public void Forget(ReadOnlySpan<byte> sessionId) => _sessions.TryRemove(Convert.ToHexString(sessionId), out _);
}
