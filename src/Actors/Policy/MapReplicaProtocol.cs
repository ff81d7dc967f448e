using Gateway.Protocol.Access;

namespace Gateway.Actors.Policy;

/// <summary>Messages of the <see cref="MapReplicaActor"/>: publishing a map to the cluster, and what each node runs.</summary>
public static class MapReplicaProtocol
{
    /// <summary>
    /// Publish <paramref name="Text"/> (already read and checked by whoever sends this) as the cluster's access map.
    /// Answered <see cref="MapPublished"/> or <see cref="MapPublishRefused"/>.
    /// </summary>
    public sealed record PublishMap(string Text, string Source);

    /// <param name="Changed">False when the cluster already had this text: nothing was published, the version stays.</param>
    /// <param name="Confirmed">Every member holds it; false when some did not confirm in time (it still reaches them by gossip).</param>
    public sealed record MapPublished(MapRelease Release, bool Changed, bool Confirmed);

    /// <summary>Nothing was published: the text does not parse (the reason names the line) or the local store failed.</summary>
    public sealed record MapPublishRefused(string Reason);

    public sealed record GetMapStatus
    {
        public static readonly GetMapStatus Instance = new();
    }

    /// <summary>
    /// The map this node decides with, and whether it may be behind: while members are unreachable a newer version
    /// pushed on their side cannot arrive, and the node goes on with the one it has.
    /// </summary>
    /// <param name="Current">Null: no map was ever published or loaded; the built-in rules apply (local domains only).</param>
    /// <param name="Unreachable">Cluster members this node cannot reach now (addresses).</param>
    /// <param name="LastError">Why the last replicated version could not be used, if it could not.</param>
    public sealed record MapStatus(MapRelease? Current, int Entries, IReadOnlyList<string> Unreachable, string? LastError);

    /// <summary>Sent once to the actor named at creation when the durable copy has been read: sessions may start.</summary>
    public sealed record MapReplicaReady
    {
        public static readonly MapReplicaReady Instance = new();
    }
}
