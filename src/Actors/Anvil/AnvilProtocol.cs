using System.Net;
using Gateway.Protocol.Anvil;

namespace Gateway.Actors.Anvil;

/// <summary>Between a node's listener and its <see cref="AnvilReplicaActor"/>.</summary>
public static class AnvilProtocol
{
    /// <summary>The listener's own non-zero counts per client, whole; the replica publishes what changed.</summary>
    public sealed record PublishCounts(IReadOnlyDictionary<IPAddress, ClientCount> Counts);

    /// <summary>To the listener: the sum per client of what every other member last published.</summary>
    public sealed record OthersCounts(IReadOnlyDictionary<IPAddress, ClientCount> Counts);
}
