using Akka.Cluster.Hosting;
using Akka.Discovery.KubernetesApi;
using Akka.Hosting;
using Akka.Management;
using Akka.Management.Cluster.Bootstrap;
using Gateway.Configuration;

namespace Gateway.Hosting;

/// <summary>
/// How a node finds its cluster (Cluster:Discovery): the configured seed nodes, itself when there are none, or, in
/// Kubernetes, Akka.Management's Cluster Bootstrap over the Kubernetes API: each pod lists the pods matching
/// Cluster:DiscoveryLabelSelector, probes their Akka.Management endpoints (the container port named
/// <see cref="ManagementPortName"/>) and joins the cluster they report; when there is none yet, the pod with the
/// lowest address forms it, so that starting all pods at once still gives one cluster.
/// </summary>
internal static class ClusterDiscovery
{
    /// <summary>The container port's name that Cluster Bootstrap looks for on each discovered pod (deploy/kubernetes).</summary>
    public const string ManagementPortName = "management";

    /// <summary>Cluster Bootstrap's service name: only where the label selector says "{0}"; ours names the label itself.</summary>
    private const string ServiceName = "gateway";

    /// <summary>Akka.Cluster with the gateway's role, and the discovery Cluster:Discovery chose.</summary>
    public static AkkaConfigurationBuilder WithGatewayCluster(this AkkaConfigurationBuilder builder, GatewaySettings settings)
    {
        builder.WithClustering(new Akka.Cluster.Hosting.ClusterOptions { Roles = ["gateway"], SeedNodes = [.. settings.SeedNodes] });
        if (settings.Discovery.Method != ClusterDiscoveryMethod.Kubernetes)
        {
            return builder;
        }

        // The management endpoint advertises Cluster:Hostname (the pod IP in deploy/kubernetes): discovery finds pods
        // by IP, and Cluster Bootstrap recognises itself among them only when the two agree.
        return builder
            .WithAkkaManagement(hostName: settings.ClusterHostname, port: settings.Discovery.ManagementPort, autoStart: true)
            .WithClusterBootstrap(serviceName: ServiceName, portName: ManagementPortName, autoStart: true)
            .WithKubernetesDiscovery(settings.Discovery.LabelSelector);
    }

    /// <summary>A node with neither seeds nor discovery forms its own one-node cluster.</summary>
    public static bool JoinsItself(GatewaySettings settings) =>
        settings.Discovery.Method == ClusterDiscoveryMethod.Seeds && settings.SeedNodes.Count == 0;
}
