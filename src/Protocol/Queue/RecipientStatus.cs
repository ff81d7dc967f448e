namespace Gateway.Protocol.Queue;

/// <summary>
/// One recipient's line in a queue entry, in the envelope's recipient order. <paramref name="Reply"/> is the last thing
/// a next hop (or the gateway itself) said about it, as sent ("450 4.2.0 mailbox busy"), for <c>gateway queue list</c>
/// and the delivery report; <paramref name="RemoteMta"/> the host that said it. <paramref name="Reported"/>: a final
/// outcome the sender is owed a report of has been written into the spool as a delivery report (or none is owed).
/// </summary>
public sealed record RecipientStatus(
    RecipientState State,
    string? Reply = null,
    string? RemoteMta = null,
    bool Reported = false)
{
    public static readonly RecipientStatus New = new(RecipientState.Pending);
}
