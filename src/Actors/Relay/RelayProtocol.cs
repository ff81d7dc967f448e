using Akka.Actor;
using Gateway.Actors.Queue;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;

namespace Gateway.Actors.Relay;

/// <summary>Messages between the queue, the destinations and their client connections.</summary>
public static class RelayProtocol
{
    /// <summary>
    /// Carry <paramref name="Recipients"/> (indexes into the envelope, at most <see cref="RelaySettings.MaxRecipientsPerTransaction"/>)
    /// of <paramref name="Message"/> to <paramref name="Destination"/> in one transaction; answered with <see cref="Done"/>.
    /// </summary>
    public sealed record Deliver(long JobId, Route.Relay Destination, SpooledMessage Message, IReadOnlyList<int> Recipients)
    {
        /// <summary>The same outcome for every recipient of the job (the destination or the connection failed as a whole).</summary>
        public IReadOnlyList<AttemptResult> All(AttemptResultKind kind, string reply) =>
            [.. Recipients.Select(i => new AttemptResult(i, kind, reply))];
    }

    /// <summary>What became of every recipient of the job with the same id.</summary>
    public sealed record Done(long JobId, IReadOnlyList<AttemptResult> Results);

    /// <summary>A connection is ready for a transaction (after its greeting and EHLO, or after its last one).</summary>
    internal sealed record Ready(IActorRef Connection);

    /// <summary>A destination gives a ready connection its next job.</summary>
    internal sealed record Transaction(Deliver Job, IActorRef Requester);

    /// <summary>The transaction's outcome, from a connection to its destination.</summary>
    internal sealed record TransactionDone(Deliver Job, IActorRef Requester, IReadOnlyList<AttemptResult> Results);

    /// <summary>
    /// A connection could not be opened or made usable (no address, every host refused, TLS policy refused): what the
    /// destination's waiting jobs get. <paramref name="Permanent"/>: a 5xx or its like, the recipients fail.
    /// </summary>
    internal sealed record Unusable(string Reply, bool Permanent);

    /// <summary>
    /// <c>gateway queue flush</c>: every destination forgets it was dead, so the flushed messages are tried now rather
    /// than deferred again at once (Postfix's flush does the same).
    /// </summary>
    public sealed record Revive
    {
        public static readonly Revive Instance = new();
    }

    /// <summary>
    /// A destination with nothing to do for a while, to its parent: it has seen <paramref name="Received"/> jobs. The
    /// parent stops it only if it has forwarded no more than that, so no job can be on its way to a stopping actor.
    /// </summary>
    internal sealed record Idle(long Received);

    /// <summary>Asked of the RelayActor: which destinations exist; asked of a DestinationActor: how it stands.</summary>
    public sealed record GetDestinations
    {
        public static readonly GetDestinations Instance = new();
    }

    public sealed record DestinationStatus(string Destination, int Waiting, int Connections, int Idle, DateTimeOffset? DeadUntil, string? LastError);

    /// <summary>The RelayActor's answer: the next hops that have a DestinationActor now (each answers its own status).</summary>
    public sealed record Destinations(IReadOnlyList<string> Names);
}
