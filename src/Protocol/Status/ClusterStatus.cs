namespace Gateway.Protocol.Status;

/// <summary>
/// The whole cluster as one node sees it (<c>/api/status</c>, <c>gateway status</c>): every member, its record, and
/// the totals. Any node answers for all, from the records the cluster replicates to it.
/// </summary>
/// <param name="Observer">The address of the node that answered.</param>
/// <param name="Generated">When it answered, by its clock.</param>
public sealed record ClusterStatus(string Observer, DateTimeOffset Generated, IReadOnlyList<ClusterNode> Nodes, ClusterTotals Totals)
{
    /// <summary>A member as the membership lists it: <paramref name="Id"/> is the key of its record (address and incarnation).</summary>
    public sealed record Member(string Id, string Address, string Status, bool Reachable);

    /// <summary>A record and when the observer last saw it change, by the observer's clock (never compared with another node's).</summary>
    public sealed record Received(NodeStatus Status, DateTimeOffset At);

    /// <summary>
    /// The table: one row per member, in address order, with its record if one arrived. Records of nodes that are no
    /// longer members are left out: an incarnation that left is history, and its successor has its own.
    /// </summary>
    public static ClusterStatus Of(
        string observer, DateTimeOffset now, IEnumerable<Member> members, IReadOnlyDictionary<string, Received> records, TimeSpan staleAfter)
    {
        var nodes = members
            .OrderBy(m => m.Address, StringComparer.Ordinal)
            .Select(m => records.TryGetValue(m.Id, out var r)
                ? new ClusterNode(m.Address, m.Status, m.Reachable, now - r.At > staleAfter, r.Status)
                : new ClusterNode(m.Address, m.Status, m.Reachable, false, null))
            .ToList();
        return new ClusterStatus(observer, now, nodes, Total(nodes));
    }

    private static ClusterTotals Total(IReadOnlyList<ClusterNode> nodes)
    {
        var fresh = nodes.Where(n => !n.Stale && n.Status is not null).Select(n => n.Status!).ToList();
        return new ClusterTotals(
            nodes.Count,
            nodes.Count(n => n.Member == "up" && n.Reachable),
            fresh.Sum(s => s.Sessions.Open),
            fresh.Sum(s => s.Sessions.Tls),
            fresh.Sum(s => s.Traffic.MessagesPerSecond),
            fresh.Sum(s => s.Traffic.HandshakesPerSecond),
            fresh.Sum(s => s.Traffic.Accepted),
            fresh.Sum(s => s.Queue.Messages));
    }
}
