namespace Gateway.Actors.Metrics;

/// <summary>What <see cref="NodeCounters.Read"/> returns: the node's counts since start, and the sessions open now.</summary>
public sealed record NodeCountsSnapshot(
    int Open,
    int Tls,
    long Sessions,
    long Handshakes,
    long HandshakesFailed,
    long Accepted,
    long Refused,
    IReadOnlyDictionary<string, long> Verify);
