using Gateway.Protocol.Dsn;

namespace Gateway.Protocol.Queue;

/// <summary>
/// What follows an attempt: the entry as it now stands, and the outcomes the sender must be told of in one delivery
/// report (failures, successes asked for, a delay warning), each with its recipient's index. The report must be in the
/// spool before <see cref="QueuePlanner.Reported"/> marks them; until then a crash or a full disk only makes the
/// next attempt write it again.
/// </summary>
public sealed record AttemptVerdict(QueueEntry Entry, IReadOnlyList<(int Index, RecipientOutcome Outcome)> Report);
