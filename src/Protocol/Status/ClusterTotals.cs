namespace Gateway.Protocol.Status;

/// <summary>The cluster table's last line: members, members up and reachable, and the sums of the fresh records.</summary>
public sealed record ClusterTotals(
    int Nodes,
    int Up,
    int SessionsOpen,
    int SessionsTls,
    double MessagesPerSecond,
    double HandshakesPerSecond,
    long Accepted,
    int Queued);
