using Akka.Actor;
using Akka.Event;
using Gateway.Actors.Delivery;

namespace Gateway.Actors.Queue;

/// <summary>
/// The node's queue manager: on start it queues every message left in the spool, then each newly
/// spooled one; it hands at most <c>concurrency</c> at a time to delivery and retries deferred ones
/// after <c>retryDelay</c>. Its state is only an index: the spool is the source of truth.
/// Not here: storage (ISpool), the next hop (DeliveryActor).
/// </summary>
public sealed class QueueActor : ReceiveActor, IWithTimers
{
    private sealed record Recovered(IReadOnlyList<string> Ids);

    private sealed record RecoveryFailed(string Reason);

    private sealed record Recover
    {
        public static readonly Recover Instance = new();
    }

    private sealed record Retry(string Id);

    private readonly ISpool _spool;
    private readonly IActorRef _delivery;
    private readonly int _concurrency;
    private readonly TimeSpan _retryDelay;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<(string Id, bool MayBeRepeat)> _waiting = new();
    private readonly HashSet<string> _known = [];
    private int _inFlight;
    private long _delivered;
    private long _deferred;

    public QueueActor(ISpool spool, IMailDelivery next, int concurrency, TimeSpan retryDelay)
    {
        _spool = spool;
        _concurrency = concurrency;
        _retryDelay = retryDelay;
        _delivery = Context.ActorOf(DeliveryActor.Props(spool, next), "delivery");

        Receive<Recovered>(r =>
        {
            _log.Info("queue: {0} message(s) recovered from the spool", r.Ids.Count);
            foreach (var id in r.Ids)
            {
                Enqueue(id, mayBeRepeat: true);
            }
        });
        Receive<RecoveryFailed>(f =>
        {
            // Messages left in the spool must not wait for a restart: list it again later.
            _log.Error("queue: cannot list the spool, trying again in {0}: {1}", _retryDelay, f.Reason);
            Timers.StartSingleTimer(nameof(Recover), Recover.Instance, _retryDelay);
        });
        Receive<Recover>(_ => ListSpool());
        Receive<QueueProtocol.MessageSpooled>(m => Enqueue(m.Id, mayBeRepeat: false));
        Receive<DeliveryOutcome.Delivered>(d => Finished(d.Id, delivered: true));
        Receive<DeliveryOutcome.Deferred>(d =>
        {
            Finished(d.Id, delivered: false);
            Timers.StartSingleTimer($"{nameof(Retry)}:{d.Id}", new Retry(d.Id), _retryDelay);
        });
        Receive<Retry>(r => Enqueue(r.Id, mayBeRepeat: true));
        Receive<QueueProtocol.GetQueueStatus>(_ =>
            Sender.Tell(new QueueProtocol.QueueStatus(_waiting.Count, _inFlight, _delivered, _deferred)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ISpool spool, IMailDelivery next, int concurrency, TimeSpan retryDelay) =>
        Akka.Actor.Props.Create(() => new QueueActor(spool, next, concurrency, retryDelay));

    protected override void PreStart() => ListSpool();

    private void ListSpool() =>
        _spool.ListAsync().PipeTo(Self, success: ids => new Recovered(ids), failure: e => new RecoveryFailed(e.Message));

    private void Enqueue(string id, bool mayBeRepeat)
    {
        // A message recovered at start may also be announced by its connection; queue it once.
        if (!_known.Add(id))
        {
            return;
        }

        _waiting.Enqueue((id, mayBeRepeat));
        Dispatch();
    }

    private void Finished(string id, bool delivered)
    {
        _inFlight--;
        _known.Remove(id);
        if (delivered)
        {
            _delivered++;
        }
        else
        {
            _deferred++;
        }

        Dispatch();
    }

    private void Dispatch()
    {
        while (_inFlight < _concurrency && _waiting.TryDequeue(out var next))
        {
            _inFlight++;
            _delivery.Tell(new DeliveryActor.Deliver(next.Id, next.MayBeRepeat));
        }
    }
}
