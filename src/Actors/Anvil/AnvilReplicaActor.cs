using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Gateway.Protocol.Anvil;
using static Gateway.Actors.Anvil.AnvilProtocol;

namespace Gateway.Actors.Anvil;

/// <summary>
/// Shares the per-client counts of the node's listener with the cluster, and tells the listener the others' sums.
/// <para>
/// Why a CRDT and not sharded counters: a sharded counter puts a network round trip (to the client's shard) in front
/// of every accepted connection, and a client whose shard sits across a partition could not be counted at all. Here
/// each node owns its entries in one replicated last-writer-wins dictionary (key "node|client", value the node's
/// count) and only it writes them, so entries never conflict; every node reads the others' entries locally, with no
/// round trip on the accept path. The price is lag: another node's new sessions are seen after its next publication
/// (100 ms), the delta gossip (200 ms) and the notification (100 ms), so a burst spread over N nodes can overshoot a
/// limit by what each node admits in that window. Under a partition each side counts what it last heard from the
/// other (stale but not zero) until the split-brain resolver removes the unreachable nodes; their entries are then
/// dropped, and from then each side enforces the limit alone: at most N times the limit across a cluster cut in N.
/// </para>
/// Entries are not durable: counts of open sessions mean nothing after a restart.
/// </summary>
public sealed class AnvilReplicaActor : ReceiveActor
{
    public static readonly LWWDictionaryKey<string, string> Key = new("client-counts");

    private readonly IActorRef _listener;
    private readonly IActorRef _replicator;
    private readonly Cluster _cluster;
    private readonly string _self;
    private Dictionary<IPAddress, ClientCount> _published = [];

    public AnvilReplicaActor(IActorRef listener)
    {
        _listener = listener;
        _replicator = DistributedData.Get(Context.System).Replicator;
        _cluster = Cluster.Get(Context.System);
        _self = NodeId(_cluster.SelfUniqueAddress);

        Receive<PublishCounts>(p => Publish(p.Counts));
        Receive<Changed>(c => c.Key.Equals(Key), c => _listener.Tell(new OthersCounts(Others(c.Get(Key)))));
        Receive<ClusterEvent.MemberRemoved>(r => Forget(NodeId(r.Member.UniqueAddress)));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(_ => { });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props(IActorRef listener) => Akka.Actor.Props.Create(() => new AnvilReplicaActor(listener));

    protected override void PreStart()
    {
        _replicator.Tell(Dsl.Subscribe(Key, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);

        // A node that stops cleanly tries to take its entries with it at once; if the write does not leave the node in
        // time, the others drop them when they see it removed.
        Forget(_self);
    }

    /// <summary>Writes what changed since the last publication: new or changed entries, and removals.</summary>
    private void Publish(IReadOnlyDictionary<IPAddress, ClientCount> counts)
    {
        var changed = counts.Where(c => !_published.TryGetValue(c.Key, out var old) || old != c.Value).ToList();
        var gone = _published.Keys.Where(k => !counts.ContainsKey(k)).ToList();
        if (changed.Count == 0 && gone.Count == 0)
        {
            return;
        }

        _published = new Dictionary<IPAddress, ClientCount>(counts);
        var self = _cluster.SelfUniqueAddress;
        var prefix = _self;
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance, entries =>
        {
            foreach (var (client, count) in changed)
            {
                entries = entries.SetItem(self, EntryKey(prefix, client), Value(count));
            }

            foreach (var client in gone)
            {
                entries = entries.Remove(self, EntryKey(prefix, client));
            }

            return entries;
        }));
    }

    /// <summary>Removes a node's entries (a removed member, or this node stopping).</summary>
    private void Forget(string node)
    {
        var self = _cluster.SelfUniqueAddress;
        var prefix = node + "|";
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance, entries =>
        {
            foreach (var key in entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                entries = entries.Remove(self, key);
            }

            return entries;
        }));
    }

    /// <summary>The others' counts summed per client; entries of nodes that are not members now are stale and skipped.</summary>
    private Dictionary<IPAddress, ClientCount> Others(LWWDictionary<string, string> entries)
    {
        var members = _cluster.State.Members.Select(m => NodeId(m.UniqueAddress)).ToHashSet(StringComparer.Ordinal);
        var sums = new Dictionary<IPAddress, ClientCount>();
        foreach (var (key, value) in entries)
        {
            var bar = key.LastIndexOf('|');
            if (bar <= 0 || key.AsSpan(0, bar).SequenceEqual(_self) || !members.Contains(key[..bar])
                || !IPAddress.TryParse(key.AsSpan(bar + 1), out var client) || Parse(value) is not { } count)
            {
                continue;
            }

            sums[client] = sums.GetValueOrDefault(client) + count;
        }

        return sums;
    }

    private static string NodeId(UniqueAddress node) => $"{node.Address}#{node.Uid.ToString(CultureInfo.InvariantCulture)}";

    private static string EntryKey(string node, IPAddress client) => $"{node}|{client}";

    private static string Value(ClientCount count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count.Connections},{count.Rate}");

    private static ClientCount? Parse(string value)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        return comma > 0
            && int.TryParse(value.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out var connections)
            && int.TryParse(value.AsSpan(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var rate)
                ? new ClientCount(connections, rate)
                : null;
    }
}
