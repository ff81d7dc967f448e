using Gateway.Protocol.Status;

namespace Gateway.Actors.Status;

/// <summary>Messages to the node's status actor.</summary>
public static class NodeStatusProtocol
{
    /// <summary>Answered with a <see cref="ClusterStatus"/>: every member and the last record each published.</summary>
    public sealed record GetClusterStatus
    {
        public static readonly GetClusterStatus Instance = new();
    }

    /// <summary>The node has begun its drain: its record says so from the next publication.</summary>
    public sealed record Draining
    {
        public static readonly Draining Instance = new();
    }
}
