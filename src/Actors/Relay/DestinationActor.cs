using Akka.Actor;
using Akka.Event;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;

namespace Gateway.Actors.Relay;

/// <summary>
/// One next hop (a relay host, or a domain's MX hosts): its waiting transactions, its connections (at most
/// <see cref="RelaySettings.MaxConnectionsPerDestination"/>, idle ones reused), and its health. When every connection
/// fails and none is working, the destination is dead for <see cref="RelaySettings.DeadTime"/>: what waits, and what
/// comes meanwhile, is deferred at once with the reason ("delivery temporarily suspended", Postfix's words), so one
/// dead or slow MX holds no more of the node's connections than its limit, and none while dead. After the dead time one
/// connection probes it before more are opened (Postfix's slow start). Unused for <see cref="IdleLife"/>, it offers to
/// go; its parent stops it when no job can be on its way.
/// Not here: the SMTP dialogue (SmtpClientActor), when to retry a message (QueueActor).
/// </summary>
public sealed class DestinationActor : UntypedActor
{
    private readonly Route.Relay _destination;
    private readonly RelaySettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<(RelayProtocol.Deliver Job, IActorRef Requester)> _waiting = new();
    private readonly HashSet<IActorRef> _connections = [];
    private readonly Stack<IActorRef> _idle = new();
    private readonly Dictionary<IActorRef, (RelayProtocol.Deliver Job, IActorRef Requester)> _busy = [];
    // For the status only; whether the dead time is over is measured on the monotonic clock from _deadSince, so a
    // wall clock set back an hour does not keep a destination dead an hour longer.
    private DateTimeOffset? _deadUntil;
    private long _deadSince;
    private string? _lastError;
    private bool _probing;
    private int _opened;
    private long _received;

    public DestinationActor(Route.Relay destination, RelaySettings settings)
    {
        _destination = destination;
        _settings = settings;

        // Idle for this long (no job, no connection): offer to go, so a node that mailed a million domains does not
        // keep a million actors. The parent decides (RelayProtocol.Idle).
        Context.SetReceiveTimeout(IdleLife);
    }

    /// <summary>How long an unused destination lives; long enough to keep its dead-time and connections useful.</summary>
    public static readonly TimeSpan IdleLife = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A connection that throws is stopped, not restarted: a restart would open a new session with nothing to carry,
    /// and its Terminated defers the job it held (at least once, never lost).
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    public static Props Props(Route.Relay destination, RelaySettings settings) =>
        Akka.Actor.Props.Create(() => new DestinationActor(destination, settings));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RelayProtocol.Deliver job:
                _received++;
                Take(job, Sender);
                break;
            case RelayProtocol.Revive:
                (_deadUntil, _probing) = (null, false);
                Dispatch();
                break;
            case ReceiveTimeout:
                if (_waiting.Count == 0 && _connections.Count == 0 && (_deadUntil is null || DeadTimeOver()))
                {
                    Context.Parent.Tell(new RelayProtocol.Idle(_received));
                }

                break;
            case RelayProtocol.Ready ready:
                Ready(ready.Connection);
                break;
            case RelayProtocol.TransactionDone done:
                _busy.Remove(Sender);
                if (_probing || _deadUntil is not null)
                {
                    _log.Info("{0}: destination works again", _destination);
                }

                (_probing, _deadUntil) = (false, null);
                done.Requester.Tell(new RelayProtocol.Done(done.Job.JobId, done.Results));
                Dispatch();
                break;
            case RelayProtocol.Unusable unusable:
                Failed(Sender, unusable);
                break;
            case Terminated terminated:
                Gone(terminated.ActorRef);
                break;
            case RelayProtocol.GetDestinations:
                Sender.Tell(Status());
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Stopped with work (the node shutting down): every job still held is deferred, so the queue's attempt ends.</summary>
    protected override void PostStop()
    {
        foreach (var (job, requester) in _waiting.Concat(_busy.Values))
        {
            Answer(job, requester, AttemptResultKind.Deferred, "4.3.2 delivery stopped (the node is shutting down)");
        }
    }

    private RelayProtocol.DestinationStatus Status() =>
        new(_destination.ToString(), _waiting.Count, _connections.Count, _idle.Count, _deadUntil, _lastError);

    private void Take(RelayProtocol.Deliver job, IActorRef requester)
    {
        if (_deadUntil is not null && !DeadTimeOver())
        {
            Answer(job, requester, AttemptResultKind.Deferred, $"4.4.1 delivery temporarily suspended: {_lastError}");
            return;
        }

        if (_deadUntil is not null)
        {
            // The dead time is over: one connection probes before more are opened.
            (_deadUntil, _probing) = (null, true);
        }

        _waiting.Enqueue((job, requester));
        Dispatch();
    }

    private void Ready(IActorRef connection)
    {
        _busy.Remove(connection);
        if (_waiting.TryDequeue(out var next))
        {
            Give(connection, next);
        }
        else
        {
            _idle.Push(connection);
        }
    }

    private void Dispatch()
    {
        while (_waiting.Count > 0 && _idle.TryPop(out var idle))
        {
            // An idle connection may have timed out and be closing; its own Ready-or-Terminated settles the job.
            Give(idle, _waiting.Dequeue());
        }

        var limit = _probing ? 1 : _settings.MaxConnectionsPerDestination;
        var opening = _connections.Count - _busy.Count - _idle.Count;
        while (_connections.Count < limit && opening < _waiting.Count)
        {
            var connection = Context.ActorOf(SmtpClientActor.Props(_destination, _settings, Self), $"c{++_opened}");
            Context.Watch(connection);
            _connections.Add(connection);
            opening++;
        }
    }

    private void Give(IActorRef connection, (RelayProtocol.Deliver Job, IActorRef Requester) next)
    {
        _busy[connection] = next;
        connection.Tell(new RelayProtocol.Transaction(next.Job, next.Requester));
    }

    private void Failed(IActorRef connection, RelayProtocol.Unusable unusable)
    {
        _lastError = unusable.Reply;
        var working = _busy.Keys.Any(c => !c.Equals(connection)) || _idle.Count > 0;
        if (_busy.Remove(connection, out var carried))
        {
            Answer(carried.Job, carried.Requester, unusable.Permanent ? AttemptResultKind.Failed : AttemptResultKind.Deferred, unusable.Reply);
        }

        if (working && !unusable.Permanent)
        {
            // Other connections still carry mail: this one failure says little about the destination.
            return;
        }

        if (!unusable.Permanent)
        {
            _deadUntil = _settings.Clock.GetUtcNow() + _settings.DeadTime;
            _deadSince = _settings.Clock.GetTimestamp();
            _probing = false;
            _log.Warning("{0}: destination dead for {1}: {2}", _destination, _settings.DeadTime, unusable.Reply);
        }

        while (_waiting.TryDequeue(out var waiting))
        {
            // What waited for this connection gets its own words; what comes while dead gets Postfix's "suspended".
            Answer(waiting.Job, waiting.Requester, unusable.Permanent ? AttemptResultKind.Failed : AttemptResultKind.Deferred, unusable.Reply);
        }
    }

    private bool DeadTimeOver() => _settings.Clock.GetElapsedTime(_deadSince) >= _settings.DeadTime;

    private void Gone(IActorRef connection)
    {
        _connections.Remove(connection);
        if (_busy.Remove(connection, out var carried))
        {
            // Stopped without an outcome (it crashed): nothing is known to be delivered, so the job is deferred.
            Answer(carried.Job, carried.Requester, AttemptResultKind.Deferred, "4.4.2 lost connection with the next hop (connection ended unexpectedly)");
        }

        if (_idle.Contains(connection))
        {
            var kept = _idle.Where(c => !c.Equals(connection)).Reverse().ToArray();
            _idle.Clear();
            foreach (var c in kept)
            {
                _idle.Push(c);
            }
        }

        if (_deadUntil is null)
        {
            Dispatch();
        }
    }

    private static void Answer(RelayProtocol.Deliver job, IActorRef requester, AttemptResultKind kind, string reply) =>
        requester.Tell(new RelayProtocol.Done(job.JobId, job.All(kind, reply)));
}
