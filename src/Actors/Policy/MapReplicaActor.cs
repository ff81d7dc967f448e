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
public sealed class MapReplicaActor : ReceiveActor, IWithUnboundedStash
{
    /// <summary>The replicated key; also the durable key in the node's configuration.</summary>
    public static readonly LWWRegisterKey<string> Key = new("access-map");

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _policy;
    private readonly IActorRef _ready;
    private readonly PublishMap? _startup;
    private readonly TimeSpan _writeTimeout;
    private readonly IActorRef _replicator;
    private readonly Cluster _cluster;
    private readonly HashSet<Address> _unreachable = [];
    private MapRelease? _current;
    private int _entries;
    private string? _lastError;

    /// <param name="startup">The node's own map file read at start, published if the cluster's differs; null without one.</param>
    /// <param name="ready">Told <see cref="MapReplicaReady"/> once the node may decide with the map it has.</param>
    public MapReplicaActor(IActorRef policy, IActorRef ready, PublishMap? startup, TimeSpan writeTimeout)
    {
        _policy = policy;
        _ready = ready;
        _startup = startup;
        _writeTimeout = writeTimeout;
        _replicator = DistributedData.Get(Context.System).Replicator;
        _cluster = Cluster.Get(Context.System);
        Loading();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(IActorRef policy, IActorRef ready, PublishMap? startup, TimeSpan writeTimeout) =>
        Akka.Actor.Props.Create(() => new MapReplicaActor(policy, ready, startup, writeTimeout));

    protected override void PreStart()
    {
        // The replicator answers local reads only once its durable store is loaded: this Get is "the last map we had".
        _replicator.Tell(Dsl.Get(Key, ReadLocal.Instance));
        _replicator.Tell(Dsl.Subscribe(Key, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Loading()
    {
        Receive<GetSuccess>(g => g.Key.Equals(Key), g => Loaded(g.Get(Key).Value));
        Receive<NotFound>(n => n.Key.Equals(Key), _ => Loaded(null));
        Receive<GetFailure>(f => f.Key.Equals(Key), _ => Loaded(null));
        Membership();
        ReceiveAny(_ => Stash.Stash());
    }

    private void Loaded(string? durable)
    {
        var stored = durable is { Length: > 0 } ? Decode(durable) : null;
        if (_startup is { } file && stored?.Digest != MapRelease.DigestOf(file.Text))
        {
            // This node's map file differs from what the cluster had when the node stopped: the file wins.
            Publish(file, ActorRefs.Nobody, stored);
        }
        else if (stored is not null)
        {
            Adopt(stored);
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
        Receive<IUpdateFailure>(u => Refuse(u.Request, $"the node could not store the map: {u.GetType().Name}"));
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
}
