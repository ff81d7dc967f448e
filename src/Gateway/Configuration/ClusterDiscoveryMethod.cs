namespace Gateway.Configuration;

/// <summary>Cluster:Discovery: how a node finds the other members of its cluster.</summary>
internal enum ClusterDiscoveryMethod
{
    /// <summary>Cluster:SeedNodes, the same list on every node; none: the node forms its own one-node cluster.</summary>
    Seeds,

    /// <summary>Akka.Management's Cluster Bootstrap, finding the gateway's pods through the Kubernetes API.</summary>
    Kubernetes,
}
