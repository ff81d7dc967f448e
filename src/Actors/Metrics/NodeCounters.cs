using System.Collections.Concurrent;
using Akka.Actor;

namespace Gateway.Actors.Metrics;

/// <summary>
/// This node's own counts for its status record (sessions open and encrypted, handshakes, messages, the
/// <c>{verify}</c> mix), one instance per actor system. Each method also records the process-wide metric, so a
/// connection records an event once. Why not read the metrics back: <see cref="GatewayMetrics"/> is per process, and
/// several nodes in one process (the tests) would each report the sum of all.
/// </summary>
/// <remarks>Interlocked fields: every connection actor writes, the status actor reads; no lock on the session's path.</remarks>
public sealed class NodeCounters : IExtension
{
    private readonly ConcurrentDictionary<string, long> _verify = new(StringComparer.Ordinal);
    private int _open;
    private int _tls;
    private long _sessions;
    private long _handshakes;
    private long _handshakesFailed;
    private long _accepted;
    private long _refused;

    public static NodeCounters For(ActorSystem system) => system.WithExtension<NodeCounters, Provider>();

    public void SessionOpened(string listener)
    {
        GatewayMetrics.SessionOpened(listener);
        Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _sessions);
    }

    /// <summary><paramref name="encrypted"/>: the session had completed a handshake, and counted as encrypted since.</summary>
    public void SessionClosed(string listener, bool encrypted)
    {
        GatewayMetrics.SessionClosed(listener);
        Interlocked.Decrement(ref _open);
        if (encrypted)
        {
            Interlocked.Decrement(ref _tls);
        }
    }

    public void HandshakeSucceeded(string version, string cipher, string verify)
    {
        GatewayMetrics.HandshakeSucceeded(version, cipher, verify);
        Interlocked.Increment(ref _tls);
        Interlocked.Increment(ref _handshakes);
        _verify.AddOrUpdate(verify, 1, (_, n) => n + 1);
    }

    public void HandshakeFailed(string outcome)
    {
        GatewayMetrics.HandshakeFailed(outcome);
        Interlocked.Increment(ref _handshakesFailed);
    }

    public void MessageAccepted()
    {
        GatewayMetrics.MessageAccepted();
        Interlocked.Increment(ref _accepted);
    }

    public void MessageRefused(int code)
    {
        GatewayMetrics.MessageRefused(code);
        Interlocked.Increment(ref _refused);
    }

    /// <summary>The counts now; each field is read atomically, the set of them is not one instant (a status needs no more).</summary>
    public NodeCountsSnapshot Read() => new(
        Volatile.Read(ref _open),
        Volatile.Read(ref _tls),
        Interlocked.Read(ref _sessions),
        Interlocked.Read(ref _handshakes),
        Interlocked.Read(ref _handshakesFailed),
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _refused),
        new SortedDictionary<string, long>(_verify, StringComparer.Ordinal));

    internal sealed class Provider : ExtensionIdProvider<NodeCounters>
    {
        public override NodeCounters CreateExtension(ExtendedActorSystem system) => new();
    }
}
