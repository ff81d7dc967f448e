using Akka.Actor;
using Akka.Event;
using Gateway.Actors.Queue;

namespace Gateway.Actors.Delivery;

/// <summary>
/// Carries one message at a time per request from the spool to the next hop and removes it from the
/// spool only after the next hop has it. Many requests may run at once; the queue bounds them.
/// Not here: ordering, retries, concurrency limits (QueueActor).
/// </summary>
public sealed class DeliveryActor : ReceiveActor
{
    /// <summary>Deliver the spooled message <paramref name="Id"/>; the answer is a <see cref="DeliveryOutcome"/>.</summary>
    public sealed record Deliver(string Id, bool MayBeRepeat);

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public DeliveryActor(ISpool spool, IMailDelivery next)
    {
        // Run returns at its first await (the spool reads on its own threads); the outcome comes back
        // to the queue as a message, so no storage or file work runs on this actor's thread.
        Receive<Deliver>(d => Run(spool, next, d, _log).PipeTo(Sender));
    }

    public static Props Props(ISpool spool, IMailDelivery next) =>
        Akka.Actor.Props.Create(() => new DeliveryActor(spool, next));

    /// <summary>Static so that its continuations, on other threads, cannot touch actor state.</summary>
    private static async Task<DeliveryOutcome> Run(ISpool spool, IMailDelivery next, Deliver request, ILoggingAdapter log)
    {
        try
        {
            var message = await spool.ReadAsync(request.Id).ConfigureAwait(false);
            if (message is null)
            {
                // Already removed by an earlier attempt that finished after its outcome was lost.
                return new DeliveryOutcome.Delivered(request.Id);
            }

            await next.DeliverAsync(message, request.MayBeRepeat).ConfigureAwait(false);
            await spool.RemoveAsync(request.Id).ConfigureAwait(false);
            return new DeliveryOutcome.Delivered(request.Id);
        }
#pragma warning disable CA1031 // Any failure of storage or next hop defers the message; none may crash the node.
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.Warning("delivery of {0} deferred: {1}", request.Id, e.Message);
            return new DeliveryOutcome.Deferred(request.Id, e.Message);
        }
    }
}
