using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using Gateway.Protocol.Access;
using static Gateway.Actors.Policy.MapReplicaProtocol;

namespace Gateway.Actors.Policy;

/// <summary>
/// The node's replica of the cluster's access map (Akka.DistributedData, one last-writer-wins register, durable in
/// LMDB): hands every new version to the node's <see cref="PolicyActor"/> whole, so lookups never leave the node, and
/// publishes what <c>gateway map push</c> or the file watcher gives it. At start it reads the durable copy first, so a
/// restarted node decides with the last map it had before it reaches any other node; with Access:MapFile it then
/// publishes that file when it differs (the file on a node is the administrator's word).
/// Why a register and not a map of entries: a map version is replaced whole (as sendmail's makemap replaces the
/// database), and a register's last-writer-wins never mixes two versions; a push made after another has been seen
/// always wins, since the register's clock is then past the one it replaces.
/// </summary>
public sealed class MapReplicaActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    /// <summary>The replicated key; also the durable key in the node's configuration.</summary>
    public static readonly LWWRegisterKey<string> Key = new("access-map");

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _policy;
    private readonly IActorRef _ready;
    private readonly PublishMap? _startup;
    private readonly TimeSpan _writeTimeout;
    private readonly TimeSpan _clusterWait;
    private readonly IActorRef _replicator;
    private readonly Cluster _cluster;
    private readonly HashSet<Address> _unreachable = [];
    private MapRelease? _current;
    private int _entries;
    private string? _lastError;

    /// <param name="startup">The node's own map file, when it changed since this node last published it: published if the cluster's differs; else null.</param>
    /// <param name="ready">Told <see cref="MapReplicaReady"/> once the node may decide with the map it has.</param>
    /// <param name="clusterWait">
    /// A node with no copy of its own (a new volume) that expects a cluster (seeds, discovery) waits this long to be a
    /// member and read the others' map before it serves; zero for a node alone.
    /// </param>
    public MapReplicaActor(IActorRef policy, IActorRef ready, PublishMap? startup, TimeSpan writeTimeout, TimeSpan clusterWait)
    {
        _policy = policy;
        _ready = ready;
        _startup = startup;
        _writeTimeout = writeTimeout;
        _clusterWait = clusterWait;
        _replicator = DistributedData.Get(Context.System).Replicator;
        _cluster = Cluster.Get(Context.System);
        Loading();
    }

    /// <summary>A durable store that never answers (a broken disk) must not keep the node from starting.</summary>
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long the first read from the other members may take, once this node is one.</summary>
    private static readonly TimeSpan ClusterReadTimeout = TimeSpan.FromSeconds(3);

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef policy, IActorRef ready, PublishMap? startup, TimeSpan writeTimeout, TimeSpan clusterWait) =>
        Akka.Actor.Props.Create(() => new MapReplicaActor(policy, ready, startup, writeTimeout, clusterWait));

    protected override void PreStart()
    {
        // The replicator answers local reads only once its durable store is loaded: this Get is "the last map we had".
        _replicator.Tell(Dsl.Get(Key, ReadLocal.Instance));
        Timers.StartSingleTimer(nameof(LoadTimedOut), LoadTimedOut.Instance, LoadTimeout);
        _replicator.Tell(Dsl.Subscribe(Key, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Loading()
    {
        Receive<GetSuccess>(g => g.Key.Equals(Key), g => Loaded(g.Get(Key).Value));
        Receive<NotFound>(n => n.Key.Equals(Key), _ => Loaded(null));
        Receive<GetFailure>(f => f.Key.Equals(Key), _ => Loaded(null));
        Receive<LoadTimedOut>(_ =>
        {
            _lastError = $"this node's stored copy of the access map could not be read within {LoadTimeout.TotalSeconds:0} s";
            _log.Error("{0}", _lastError);
            Loaded(null);
        });
        Membership();
        ReceiveAny(_ => Stash.Stash());
    }

    private void Loaded(string? durable)
    {
        Timers.Cancel(nameof(LoadTimedOut));
        var stored = durable is { Length: > 0 } ? Decode(durable) : null;
        if (stored is null && _clusterWait > TimeSpan.Zero)
        {
            // A new node of a cluster: an empty map would let through what the others refuse; ask them first.
            Timers.StartSingleTimer(nameof(ClusterWaitOver), ClusterWaitOver.Instance, _clusterWait);
            var self = Self;
            _cluster.RegisterOnMemberUp(() => self.Tell(MemberIsUp.Instance));
            Become(AwaitingCluster);
            return;
        }

        Start(stored);
    }

    /// <summary>No copy here: the map of the other members once this node is one of them, or none after the wait.</summary>
    private void AwaitingCluster()
    {
        Receive<MemberIsUp>(_ => _replicator.Tell(Dsl.Get(Key, new ReadMajority(ClusterReadTimeout))));
        Receive<GetSuccess>(g => g.Key.Equals(Key), g => Start(g.Get(Key).Value is { Length: > 0 } value ? Decode(value) : null));
        Receive<Changed>(c => c.Key.Equals(Key), c =>
        {
            if (c.Get(Key).Value is { Length: > 0 } value && Decode(value) is { } release)
            {
                Start(release);
            }
        });
        Receive<NotFound>(n => n.Key.Equals(Key), _ => Start(null));
        Receive<GetFailure>(f => f.Key.Equals(Key), _ => Start(null));
        Receive<ClusterWaitOver>(_ =>
        {
            _log.Warning("no access map from the cluster within {0}: deciding with the built-in rules until one arrives", _clusterWait);
            Start(null);
        });
        Membership();
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>With the map the node had (or the cluster has): this node's changed map file wins; then sessions may start.</summary>
    private void Start(MapRelease? known)
    {
        Timers.Cancel(nameof(ClusterWaitOver));
        if (_startup is { } file && known?.Digest != MapRelease.DigestOf(file.Text))
        {
            Publish(file, ActorRefs.Nobody, known);
        }
        else if (known is not null)
        {
            Adopt(known);
        }

        _ready.Tell(MapReplicaReady.Instance);
        Become(Serving);
        Stash.UnstashAll();
    }

    private void Serving()
    {
        Receive<Changed>(c => c.Key.Equals(Key), c =>
        {
            if (c.Get(Key).Value is { Length: > 0 } value && Decode(value) is { } release && release.Digest != _current?.Digest)
            {
                Adopt(release);
            }
        });
        Receive<PublishMap>(p => Publish(p, Sender, _current));
        Receive<UpdateSuccess>(u => u.Key.Equals(Key), u => Answer(u.Request, confirmed: true));
        Receive<UpdateTimeout>(u => u.Key.Equals(Key), u => Answer(u.Request, confirmed: false));
        Receive<IUpdateFailure>(u => Refuse(u.Request, $"the map is in force on this node and goes to the others, but this node could not store it on disk ({u.GetType().Name}); see its log"));
        Receive<GetMapStatus>(_ => Sender.Tell(new MapStatus(_current, _entries, [.. _unreachable.Select(a => a.ToString()).Order()], _lastError)));
        Membership();
    }

    private void Membership()
    {
        Receive<ClusterEvent.UnreachableMember>(u => _unreachable.Add(u.Member.Address));
        Receive<ClusterEvent.ReachableMember>(r => _unreachable.Remove(r.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(r => _unreachable.Remove(r.Member.Address));
    }

    /// <summary>Checks, applies here at once, and writes to every member; the answer waits for their acknowledgements.</summary>
    private void Publish(PublishMap publish, IActorRef requester, MapRelease? current)
    {
        if (current?.Digest == MapRelease.DigestOf(publish.Text))
        {
            requester.Tell(new MapPublished(current, Changed: false, Confirmed: true));
            return;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(publish.Text) > MapReleaseCodec.MaxTextBytes)
        {
            // Every other node would refuse to unpack it: the nodes would decide differently.
            Refuse(requester, $"{publish.Source}: larger than {MapReleaseCodec.MaxTextBytes / (1024 * 1024)} MiB, the most a node unpacks");
            return;
        }

        var release = MapRelease.Next(current, publish.Text, publish.Source, _cluster.SelfAddress.ToString(), DateTimeOffset.UtcNow);
        var value = MapReleaseCodec.Encode(release);
        if (value.Length > MapReleaseCodec.MaxEncodedLength)
        {
            // One remoting frame carries the register; a bigger one would be dropped by every other node.
            Refuse(requester, $"{publish.Source}: too large to replicate ({value.Length} bytes packed, at most {MapReleaseCodec.MaxEncodedLength})");
            return;
        }

        if (Parse(release, out var error) is not { } map)
        {
            Refuse(requester, error!);
            return;
        }

        Apply(release, map);
        var self = _cluster.SelfUniqueAddress;
        _replicator.Tell(Dsl.Update(
            Key,
            new LWWRegister<string>(self, string.Empty),
            new WriteAll(_writeTimeout),
            new PendingPublish(requester, release),
            register => register.WithValue(self, value)));
    }

    private void Answer(object? request, bool confirmed)
    {
        if (request is PendingPublish pending)
        {
            pending.Requester.Tell(new MapPublished(pending.Release, Changed: true, confirmed));
        }
    }

    private void Refuse(object? request, string reason) =>
        Refuse(request is PendingPublish pending ? pending.Requester : ActorRefs.Nobody, reason);

    private void Refuse(IActorRef requester, string reason)
    {
        _log.Error("access map not published: {0}", reason);
        requester.Tell(new MapPublishRefused(reason));
    }

    /// <summary>A replicated version: used when it parses here, else the last good map stays and the status says why.</summary>
    private void Adopt(MapRelease release)
    {
        if (Parse(release, out var error) is { } map)
        {
            Apply(release, map);
            return;
        }

        _lastError = $"{release.Describe()} from {release.Origin} not used, the last good map stays in force: {error}";
        _log.Error("{0}", _lastError);
        _policy.Tell(new PolicyProtocol.MapReloadFailed(_lastError));
    }

    private static AccessMap? Parse(MapRelease release, out string? error)
    {
        try
        {
            error = null;
            return AccessMap.Parse(release.Text, release.Source);
        }
        catch (AccessMapError e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The PolicyActor swaps the map whole and empties its cache: no answer mixes two versions.</summary>
    private void Apply(MapRelease release, AccessMap map)
    {
        _policy.Tell(new PolicyProtocol.ReplaceMap(map, release.Describe()));
        (_current, _entries, _lastError) = (release, map.Count, null);
        _log.Info("access map {0} from {1} in force: {2} entries", release.Describe(), release.Origin, map.Count);
    }

    private MapRelease? Decode(string value)
    {
        if (MapReleaseCodec.Decode(value, out var error) is { } release)
        {
            return release;
        }

        _lastError = $"a replicated access map could not be read, the last good map stays in force: {error}";
        _log.Error("{0}", _lastError);
        return null;
    }

    private sealed record PendingPublish(IActorRef Requester, MapRelease Release);

    private sealed record LoadTimedOut
    {
        public static readonly LoadTimedOut Instance = new();
    }

    private sealed record ClusterWaitOver
    {
        public static readonly ClusterWaitOver Instance = new();
    }

    private sealed record MemberIsUp
    {
        public static readonly MemberIsUp Instance = new();
    }
}
