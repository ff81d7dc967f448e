using Akka.Actor;
using Akka.Event;
using Gateway.Actors.Delivery;
using Gateway.Actors.Metrics;
using Gateway.Actors.Relay;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;
using Gateway.Protocol.Status;

namespace Gateway.Actors.Queue;

/// <summary>
/// The node's queue manager (Postfix's qmgr): on start it queues every message left in the spool, then each newly
/// spooled one; at most <see cref="QueueSettings.Concurrency"/> are in an attempt at once. An attempt reads the message
/// and its entry, routes each pending recipient (local → Maildir, else a destination), hands the recipients to the
/// Maildir and the relay (at most 50 per transaction), and when every part has answered lets <see cref="QueuePlanner"/>
/// decide: the delivery report owed is spooled first, then the entry is saved (or the message removed, once every
/// recipient is final and reported). The spool is the source of truth; this actor only indexes it.
/// Not here: SMTP (the Relay actors), storage (ISpool), the decisions themselves (QueuePlanner).
/// </summary>
public sealed partial class QueueActor : UntypedActor, IWithTimers
{
    private readonly ISpool _spool;
    private readonly IMailDelivery _local;
    private readonly IActorRef _relay;
    private readonly QueueSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Item> _items = [];
    private readonly Queue<string> _due = new();
    private readonly Dictionary<long, Attempt> _jobs = [];
    private long _nextJob;
    private int _inFlight;
    private long _delivered;
    private long _deferred;

    // The wall clock at start and a monotonic timestamp taken with it: see Now().
    private readonly DateTimeOffset _wallAtStart;
    private readonly long _startedAt;

    public QueueActor(ISpool spool, IMailDelivery local, IActorRef relay, QueueSettings settings)
    {
        _spool = spool;
        _local = local;
        _relay = relay;
        _settings = settings;
        _wallAtStart = settings.Clock.GetUtcNow();
        _startedAt = settings.Clock.GetTimestamp();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ISpool spool, IMailDelivery local, IActorRef relay, QueueSettings settings) =>
        Akka.Actor.Props.Create(() => new QueueActor(spool, local, relay, settings));

    protected override void PreStart() => ListSpool();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Recovered recovered:
                _log.Info("queue: {0} message(s) recovered from the spool", recovered.Ids.Count);
                foreach (var id in recovered.Ids)
                {
                    Enqueue(id, recovered: true);
                }

                break;
            case RecoveryFailed failed:
                // Messages left in the spool must not wait for a restart: list it again later.
                _log.Error("queue: cannot list the spool, trying again in {0}: {1}", _settings.ListRetry, failed.Reason);
                Timers.StartSingleTimer(nameof(Recover), Recover.Instance, _settings.ListRetry);
                break;
            case Recover:
                ListSpool();
                break;
            case QueueProtocol.MessageSpooled spooled:
                Enqueue(spooled.Id, recovered: false);
                break;
            case Due due:
                // Its wait was measured by the scheduler's monotonic clock: due now, whatever the wall clock says of
                // its next attempt time (after a step back of an hour it would otherwise wait an hour more).
                Retry(due.Id, force: true);
                break;
            case Loaded loaded:
                Start(loaded);
                break;
            case RelayProtocol.Done done:
                PartDone(done.JobId, done.Results);
                break;
            case ReportWritten written:
                Persist(written.Attempt, QueuePlanner.Reported(written.Verdict));
                Enqueue(written.ReportId, recovered: false);
                break;
            case ReportFailed failed:
                // A full disk keeps the original: its report stays owed and is written at the next attempt.
                _log.Error("queue: {0}: cannot spool the delivery report, message kept: {1}", failed.Attempt.Id, failed.Reason);
                Persist(failed.Attempt, failed.Verdict.Entry);
                break;
            case Persisted persisted:
                Settled(persisted);
                break;
            case QueueProtocol.GetQueueStatus:
                Sender.Tell(Status());
                break;
            default:
                if (!Control(message))
                {
                    Unhandled(message);
                }

                break;
        }
    }

    private QueueProtocol.QueueStatus Status() => new(_due.Count, _inFlight, _delivered, _deferred)
    {
        Scheduled = _items.Values.Count(i => i.State == ItemState.Scheduled),
        Held = _items.Values.Count(i => i.State == ItemState.Held),
        Oldest = _items.Count == 0 ? null : _items.Values.Min(i => i.Summary?.Entry.QueuedAt ?? i.Seen),
        Destinations = QueueDestinations.Top(_items.Values
            .Where(i => i.Summary is not null)
            .Select(i => new QueueDestinations.Queued(i.Summary!.Recipients, i.Summary.Entry))),
    };

    private void ListSpool() =>
        _spool.ListAsync().PipeTo(Self, success: ids => new Recovered(ids), failure: e => new RecoveryFailed(e.Message));

    private void Enqueue(string id, bool recovered)
    {
        // A message recovered at start may also be announced by its connection; it is queued once.
        if (_items.ContainsKey(id))
        {
            return;
        }

        _items[id] = new Item { State = ItemState.Due, Recovered = recovered, Seen = Now() };
        _due.Enqueue(id);
        Dispatch();
    }

    /// <summary>A scheduled message's time has come (or an operator flushed it).</summary>
    private void Retry(string id, bool force = false)
    {
        if (_items.TryGetValue(id, out var item) && item.State == ItemState.Scheduled)
        {
            Timers.Cancel(TimerKey(id));
            item.State = ItemState.Due;
            item.Forced = force;
            _due.Enqueue(id);
            Dispatch();
        }
    }

    private void Dispatch()
    {
        while (_inFlight < _settings.Concurrency && _due.TryDequeue(out var id))
        {
            if (!_items.TryGetValue(id, out var item) || item.State != ItemState.Due)
            {
                continue;
            }

            _inFlight++;
            item.State = ItemState.InFlight;
            _spool.ReadAsync(id).PipeTo(Self, success: m => new Loaded(id, m, null), failure: e => new Loaded(id, null, e.Message));
        }
    }

    private void Start(Loaded loaded)
    {
        var item = _items[loaded.Id];
        if (loaded.Message is not { } message)
        {
            if (loaded.Error is { } error)
            {
                _log.Error("queue: {0}: cannot read it from the spool, trying again later: {1}", loaded.Id, error);
                Schedule(loaded.Id, item, Now() + _settings.Schedule.First);
            }
            else
            {
                // Removed meanwhile (an operator's delete, or an attempt whose end was lost).
                _items.Remove(loaded.Id);
            }

            Release();
            return;
        }

        var envelope = message.Envelope;
        var entry = message.State ?? QueueEntry.New(envelope.Id, envelope.ReceivedAt, envelope.Recipients.Count);
        item.Summary = Summary.Of(message, entry);
        var now = Now();
        if (entry.Held)
        {
            item.State = ItemState.Held;
            Release();
            return;
        }

        if (!item.Forced && entry.NextAttempt is { } next && next > now)
        {
            // Recovered at start, or read for an operator: its back-off still runs, but never longer than the wait it
            // was given, so a clock set back before this start cannot hold it beyond one retry interval.
            Schedule(loaded.Id, item, next, entry.FailedAttempts > 0 ? _settings.Schedule.DelayAfter(entry.FailedAttempts) : _settings.Schedule.Longest);
            Release();
            return;
        }

        var attempt = new Attempt(loaded.Id, message, entry, item.Recovered || entry.FailedAttempts > 0);
        Route(attempt);
        if (attempt.Outstanding == 0)
        {
            // Nothing pending (a report still owed after a crash): straight to the decision.
            Complete(attempt);
        }
    }

    /// <summary>Each pending recipient to its next hop: the Maildir in one part, each destination in parts of at most 50.</summary>
    private void Route(Attempt attempt)
    {
        var envelope = attempt.Message.Envelope;
        var local = new List<int>();
        var remote = new Dictionary<Route.Relay, List<int>>();
        foreach (var index in attempt.Entry.Pending)
        {
            var domain = envelope.Recipients[index].Address.Domain;
            switch (_settings.Routes.For(domain))
            {
                case Protocol.Routing.Route.Relay relay:
                    Add(remote, relay, index);
                    break;
                case Protocol.Routing.Route.RecipientMx:
                    Add(remote, new Route.Relay(domain.TrimEnd('.').ToLowerInvariant(), Protocol.Routing.Route.SmtpPort, LookUpMx: true), index);
                    break;
                default:
                    local.Add(index);
                    break;
            }
        }

        if (local.Count > 0)
        {
            var job = Job(attempt);
            var results = local;
            _local.DeliverAsync(attempt.Message, local, attempt.MayBeRepeat).PipeTo(
                Self,
                success: () => new RelayProtocol.Done(job, [.. results.Select(i => new AttemptResult(i, AttemptResultKind.Delivered, "250 2.0.0 delivered to maildir", Success: Protocol.Dsn.DsnAction.Delivered))]),
                failure: e => new RelayProtocol.Done(job, [.. results.Select(i => new AttemptResult(i, AttemptResultKind.Deferred, $"4.3.0 maildir delivery failed: {e.Message}"))]));
        }

        foreach (var (destination, indexes) in remote)
        {
            foreach (var chunk in indexes.Chunk(RelaySettings.MaxRecipientsPerTransaction))
            {
                _relay.Tell(new RelayProtocol.Deliver(Job(attempt), destination, attempt.Message, chunk));
            }
        }
    }

    private static void Add(Dictionary<Route.Relay, List<int>> remote, Route.Relay destination, int index)
    {
        if (!remote.TryGetValue(destination, out var list))
        {
            remote[destination] = list = [];
        }

        list.Add(index);
    }

    private long Job(Attempt attempt)
    {
        var id = ++_nextJob;
        _jobs[id] = attempt;
        attempt.Outstanding++;
        return id;
    }

    private void PartDone(long job, IReadOnlyList<AttemptResult> results)
    {
        if (!_jobs.Remove(job, out var attempt))
        {
            return;
        }

        attempt.Results.AddRange(results);
        if (--attempt.Outstanding == 0)
        {
            Complete(attempt);
        }
    }

    /// <summary>Every part has answered: the planner decides, the report (if any) is spooled first, then the entry.</summary>
    private void Complete(Attempt attempt)
    {
        var envelope = attempt.Message.Envelope;
        var now = Now();
        var verdict = QueuePlanner.After(envelope, attempt.Entry, attempt.Results, now, _settings.Schedule);
        CountOutcomes(attempt.Results);
        foreach (var result in attempt.Results.Where(r => r.Kind != AttemptResultKind.Delivered))
        {
            _log.Info("{0}: to=<{1}>, relay={2}, stat={3}: {4}", attempt.Id, envelope.Recipients[result.Index].Address, result.RemoteMta ?? "none",
                result.Kind == AttemptResultKind.Failed ? "Bounced" : "Deferred", result.Reply);
        }

        WriteReport(attempt, verdict, now);
    }

    private static void CountOutcomes(List<AttemptResult> results)
    {
        int delivered = 0, deferred = 0, failed = 0;
        foreach (var result in results)
        {
            switch (result.Kind)
            {
                case AttemptResultKind.Delivered:
                    delivered++;
                    break;
                case AttemptResultKind.Failed:
                    failed++;
                    break;
                default:
                    deferred++;
                    break;
            }
        }

        foreach (var (outcome, count) in new[] { ("delivered", delivered), ("deferred", deferred), ("failed", failed) })
        {
            if (count > 0)
            {
                GatewayMetrics.Delivery(outcome, count);
            }
        }
    }

    private void Persist(Attempt attempt, QueueEntry entry)
    {
        if (entry.Finished && !entry.Held)
        {
            _spool.RemoveAsync(attempt.Id).PipeTo(Self, success: () => new Persisted(attempt, entry, null), failure: e => new Persisted(attempt, entry, e.Message));
            return;
        }

        if (entry.NextAttempt is null && !entry.Held)
        {
            // Nothing pending, a report still owed (it could not be spooled): try writing it again after the first wait.
            entry = entry with { NextAttempt = Now() + _settings.Schedule.First };
        }

        var saved = entry;
        _spool.SaveStateAsync(saved).PipeTo(Self, success: () => new Persisted(attempt, saved, null), failure: e => new Persisted(attempt, saved, e.Message));
    }

    private void Settled(Persisted persisted)
    {
        var id = persisted.Attempt.Id;
        var entry = persisted.Entry;
        if (persisted.Error is { } error)
        {
            // The spool keeps the last entry saved: the next attempt repeats from there (at least once, never lost).
            _log.Error("queue: {0}: cannot save its queue entry: {1}", id, error);
        }

        if (!_items.TryGetValue(id, out var item))
        {
            Release();
            return;
        }

        if (entry.Finished && !entry.Held && persisted.Error is null)
        {
            _items.Remove(id);
            _delivered++;
        }
        else if (entry.Held)
        {
            item.State = ItemState.Held;
            item.Summary = item.Summary! with { Entry = entry };
            _log.Warning("queue: {0}: held: {1}", id, entry.LastError);
        }
        else
        {
            _deferred++;
            item.Summary = item.Summary! with { Entry = entry };
            Schedule(id, item, entry.NextAttempt ?? Now() + _settings.Schedule.First);
        }

        Release();
    }

    /// <param name="longest">
    /// The wait is capped here: no next attempt is set further ahead than the longest back-off, so a longer wait
    /// can only come from the wall clock having been set back since.
    /// </param>
    private void Schedule(string id, Item item, DateTimeOffset when, TimeSpan? longest = null)
    {
        item.State = ItemState.Scheduled;
        item.Forced = false;
        item.Recovered = false;
        var delay = when - Now();
        var cap = longest ?? _settings.Schedule.Longest;
        Timers.StartSingleTimer(TimerKey(id), new Due(id), delay <= TimeSpan.Zero ? TimeSpan.Zero : delay < cap ? delay : cap);
    }

    /// <summary>
    /// The queue's now: the wall clock, as the spool's times are (they must survive a restart), but never ahead of
    /// the wall clock at start plus the monotonic time elapsed since. A clock stepped forward then ages no message
    /// past its lifetime or its delay warning early, and fires no timer (the scheduler's timers are monotonic); a
    /// clock stepped back makes messages live longer, never shorter, and its retries are bounded by the timers above.
    /// </summary>
    private DateTimeOffset Now()
    {
        var wall = _settings.Clock.GetUtcNow();
        var steady = _wallAtStart + _settings.Clock.GetElapsedTime(_startedAt);
        return wall < steady ? wall : steady;
    }

    private void Release()
    {
        _inFlight--;
        Dispatch();
    }

    private static string TimerKey(string id) => "due:" + id;

    private enum ItemState
    {
        Due,
        InFlight,
        Scheduled,
        Held,
    }

    /// <summary>What the queue knows of one message without reading the spool.</summary>
    private sealed class Item
    {
        public ItemState State { get; set; }

        public bool Recovered { get; set; }

        /// <summary>Tried now whatever its next attempt time says (gateway queue flush, or its timer fired).</summary>
        public bool Forced { get; set; }

        /// <summary>Null until first read.</summary>
        public Summary? Summary { get; set; }

        /// <summary>When this node learnt of it: its age until the first read says when it was received.</summary>
        public DateTimeOffset Seen { get; init; }
    }

    /// <summary>One attempt of one message: its parts still out, and what came back.</summary>
    private sealed class Attempt(string id, SpooledMessage message, QueueEntry entry, bool mayBeRepeat)
    {
        public string Id => id;

        public SpooledMessage Message => message;

        public QueueEntry Entry => entry;

        public bool MayBeRepeat => mayBeRepeat;

        public int Outstanding { get; set; }

        public List<AttemptResult> Results { get; } = [];
    }

    private sealed record Recovered(IReadOnlyList<string> Ids);

    private sealed record RecoveryFailed(string Reason);

    private sealed record Recover
    {
        public static readonly Recover Instance = new();
    }

    private sealed record Due(string Id);

    private sealed record Loaded(string Id, SpooledMessage? Message, string? Error);

    private sealed record ReportWritten(Attempt Attempt, AttemptVerdict Verdict, string ReportId);

    private sealed record ReportFailed(Attempt Attempt, AttemptVerdict Verdict, string Reason);

    private sealed record Persisted(Attempt Attempt, QueueEntry Entry, string? Error);
}
