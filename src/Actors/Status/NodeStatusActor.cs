using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using Gateway.Actors.Entropy;
using Gateway.Actors.Metrics;
using Gateway.Actors.Policy;
using Gateway.Actors.Queue;
using Gateway.Protocol.Status;
using static Gateway.Actors.Status.NodeStatusProtocol;

namespace Gateway.Actors.Status;

/// <summary>
/// Publishes this node's status record to the cluster every <see cref="NodeStatusSettings.PublishInterval"/>, keeps
/// every member's latest, and answers <see cref="GetClusterStatus"/> for the whole cluster from them: any node can
/// draw the table, with no request fanned out to the others when someone looks.
/// <para>
/// The records live in one replicated last-writer-wins dictionary keyed by node (address and incarnation), and each
/// node writes only its own entry, so entries never conflict (the client counts' pattern, AnvilReplicaActor). Not
/// durable: a status is about now. A node's record is removed when it stops cleanly or, by every node, when the
/// membership removes it.
/// </para>
/// </summary>
public sealed class NodeStatusActor : ReceiveActor, IWithTimers
{
    public static readonly LWWDictionaryKey<string, string> Key = new("node-status");

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeStatusSettings _settings;
    private readonly IActorRef _queue;
    private readonly IActorRef _entropy;
    private readonly IActorRef _maps;
    private readonly NodeCounters _counters;
    private readonly IActorRef _replicator;
    private readonly Cluster _cluster;
    private readonly string _self;
    private readonly DateTimeOffset _started;
    // SeenAt is a monotonic timestamp: a record's age, and so whether it is stale, does not change when the wall clock
    // is stepped (back an hour, a dead node's row would look fresh for an hour; forward, every row stale at once).
    private readonly Dictionary<string, (string Json, ClusterStatus.Received Record, long SeenAt)> _records = new(StringComparer.Ordinal);

    private bool _gathering;
    private bool _draining;
    private Gathered _last = new(QueueSummary.Empty, EntropySummary.Unknown, null);
    private (NodeCountsSnapshot Counts, long At)? _previous;
    private StatusSeries _history;
    private (long Accepted, long Handshakes, long At) _pointStart;

    public NodeStatusActor(NodeStatusSettings settings, IActorRef queue, IActorRef entropy, IActorRef maps)
    {
        _settings = settings;
        _queue = queue;
        _entropy = entropy;
        _maps = maps;
        _counters = NodeCounters.For(Context.System);
        _replicator = DistributedData.Get(Context.System).Replicator;
        _cluster = Cluster.Get(Context.System);
        _self = NodeId(_cluster.SelfUniqueAddress);
        _started = settings.Clock.GetUtcNow();
        _history = StatusSeries.Empty((int)settings.HistoryInterval.TotalSeconds);
        _pointStart = (0, 0, settings.Clock.GetTimestamp());

        Receive<Tick>(_ => Gather());
        Receive<Gathered>(Publish);

        // An ask that failed otherwise than by its timeout: this round is lost, the next tick tries again.
        Receive<Akka.Actor.Status.Failure>(f =>
        {
            _gathering = false;
            _log.Warning("status: cannot gather this node's state: {0}", f.Cause.Message);
        });
        Receive<GetClusterStatus>(_ => Sender.Tell(View()));
        Receive<Draining>(_ => _draining = true);
        Receive<Changed>(c => c.Key.Equals(Key), c => Remember(c.Get(Key)));
        Receive<ClusterEvent.MemberRemoved>(r => Forget(NodeId(r.Member.UniqueAddress)));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NodeStatusSettings settings, IActorRef queue, IActorRef entropy, IActorRef maps) =>
        Akka.Actor.Props.Create(() => new NodeStatusActor(settings, queue, entropy, maps));

    protected override void PreStart()
    {
        _replicator.Tell(Dsl.Subscribe(Key, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, TimeSpan.Zero, _settings.PublishInterval);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);

        // Best effort: if the removal does not leave the node in time, the others drop the record when it is removed.
        Forget(_self);
    }

    /// <summary>Asks the queue, the generator and the map for their state; one round at a time, a slow one skips ticks.</summary>
    private void Gather()
    {
        if (_gathering)
        {
            return;
        }

        _gathering = true;
        var last = _last;
        var timeout = _settings.AskTimeout;
        GatherAsync(last, timeout).PipeTo(Self);
    }

    private async Task<Gathered> GatherAsync(Gathered last, TimeSpan timeout)
    {
        var queue = Ask<QueueProtocol.QueueStatus>(_queue, QueueProtocol.GetQueueStatus.Instance, timeout);
        var entropy = Ask<EntropyProtocol.EntropyStatus>(_entropy, EntropyProtocol.GetEntropyStatus.Instance, timeout);
        var map = Ask<MapReplicaProtocol.MapStatus>(_maps, MapReplicaProtocol.GetMapStatus.Instance, timeout);
        return new Gathered(
            await queue.ConfigureAwait(false) is { } q ? Queue(q) : last.Queue,
            await entropy.ConfigureAwait(false) is { } e ? Entropy(e) : last.Entropy,
            await map.ConfigureAwait(false) is { } m ? Map(m) : last.Map);
    }

    private static async Task<T?> Ask<T>(IActorRef actor, object question, TimeSpan timeout)
        where T : class
    {
        try
        {
            return await actor.Ask<T>(question, timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private void Publish(Gathered gathered)
    {
        _gathering = false;
        _last = gathered;
        var clock = _settings.Clock;
        var now = clock.GetTimestamp();
        var counts = _counters.Read();
        var (messagesPerSecond, handshakesPerSecond) = _previous is var (previous, at) && clock.GetElapsedTime(at, now).TotalSeconds is var seconds and > 0
            ? ((counts.Accepted - previous.Accepted) / seconds, (counts.Handshakes - previous.Handshakes) / seconds)
            : (0, 0);
        _previous = (counts, now);
        AddHistoryPoint(counts, now);

        var record = new NodeStatus(
            _cluster.SelfAddress.ToString(),
            _settings.Host,
            _settings.Version,
            _started,
            clock.GetUtcNow(),
            State(),
            new SessionCounts(counts.Open, counts.Tls, counts.Sessions),
            new TrafficCounts(counts.Accepted, counts.Refused, counts.Handshakes, counts.HandshakesFailed, Math.Round(messagesPerSecond, 2), Math.Round(handshakesPerSecond, 2)),
            counts.Verify,
            gathered.Queue,
            gathered.Entropy,
            gathered.Map,
            _history);
        var json = StatusJson.Write(record);

        // This node's own row is current at once, whatever the replication's delay.
        _records[_self] = (json, new ClusterStatus.Received(record, clock.GetUtcNow()), now);
        var self = _cluster.SelfUniqueAddress;
        var key = _self;
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance, entries => entries.SetItem(self, key, json)));
    }

    /// <summary>A point per history interval: sessions open now, and what was accepted and handshaken since the last point.</summary>
    private void AddHistoryPoint(NodeCountsSnapshot counts, long now)
    {
        if (_settings.Clock.GetElapsedTime(_pointStart.At, now) < _settings.HistoryInterval)
        {
            return;
        }

        _history = _history.Append(
            counts.Open,
            (int)Math.Min(int.MaxValue, counts.Accepted - _pointStart.Accepted),
            (int)Math.Min(int.MaxValue, counts.Handshakes - _pointStart.Handshakes),
            _settings.HistoryCapacity);
        _pointStart = (counts.Accepted, counts.Handshakes, now);
    }

    /// <summary>A drain is the first part of a stop: while sessions finish, the node says draining, and stopping after.</summary>
    private string State() =>
        _draining ? NodeStatus.Draining
        : CoordinatedShutdown.Get(Context.System).ShutdownReason is not null ? NodeStatus.Stopping
        : NodeStatus.Serving;

    /// <summary>The others' records as replicated; a text that has not changed keeps the time it was first seen.</summary>
    private void Remember(LWWDictionary<string, string> entries)
    {
        var now = _settings.Clock.GetUtcNow();
        var seenAt = _settings.Clock.GetTimestamp();
        foreach (var (node, json) in entries)
        {
            if (node == _self || (_records.TryGetValue(node, out var known) && known.Json == json))
            {
                continue;
            }

            if (StatusJson.ReadNode(json) is { } record)
            {
                _records[node] = (json, new ClusterStatus.Received(record, now), seenAt);
            }
        }

        foreach (var gone in _records.Keys.Where(k => k != _self && !entries.ContainsKey(k)).ToList())
        {
            _records.Remove(gone);
        }
    }

    private ClusterStatus View()
    {
        var state = _cluster.State;
        var members = state.Members.Select(m => new ClusterStatus.Member(
            NodeId(m.UniqueAddress),
            m.Address.ToString(),
            m.Status.ToString().ToLowerInvariant(),
            !state.Unreachable.Contains(m)));
        var now = _settings.Clock.GetUtcNow();
        var records = _records.ToDictionary(
            r => r.Key, r => r.Value.Record with { At = now - _settings.Clock.GetElapsedTime(r.Value.SeenAt) }, StringComparer.Ordinal);
        return ClusterStatus.Of(_cluster.SelfAddress.ToString(), now, members, records, _settings.StaleAfter);
    }

    private void Forget(string node)
    {
        var self = _cluster.SelfUniqueAddress;
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance, entries => entries.Remove(self, node)));
    }

    private static QueueSummary Queue(QueueProtocol.QueueStatus q) =>
        new(q.Waiting, q.InFlight, q.Scheduled, q.Held, q.Oldest, q.Destinations);

    private static EntropySummary Entropy(EntropyProtocol.EntropyStatus e) =>
        new(e.Status.ToString().ToLowerInvariant(), e.Source, e.LastSeeded, e.Seedings, e.LastFailure);

    private static MapSummary? Map(MapReplicaProtocol.MapStatus m) =>
        m.Current is { } current ? new MapSummary(current.Version, current.Digest, m.Entries, current.Source, current.Published) : null;

    private static string NodeId(UniqueAddress node) => $"{node.Address}#{node.Uid.ToString(CultureInfo.InvariantCulture)}";

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>What the other actors said this round; a silent one's part is the last round's.</summary>
    private sealed record Gathered(QueueSummary Queue, EntropySummary Entropy, MapSummary? Map);
}
