namespace Gateway.Protocol.Status;

/// <summary>
/// One row of the cluster table: a member as the answering node sees it (its membership status, whether it is
/// reachable) and the last record it published; null before its first one (a node still starting).
/// </summary>
/// <param name="Stale">The record has not changed for longer than three publication intervals: its figures are old.</param>
public sealed record ClusterNode(string Address, string Member, bool Reachable, bool Stale, NodeStatus? Status);
