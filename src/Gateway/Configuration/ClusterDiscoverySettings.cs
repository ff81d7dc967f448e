namespace Gateway.Configuration;

/// <summary>
/// Cluster:Discovery, Cluster:ManagementPort and Cluster:DiscoveryLabelSelector, checked: with "kubernetes" the nodes
/// find each other through the Kubernetes API (pods matching the selector) and Akka.Management's Cluster Bootstrap,
/// so static seed nodes would only contradict it.
/// </summary>
internal sealed record ClusterDiscoverySettings(ClusterDiscoveryMethod Method, int ManagementPort, string LabelSelector)
{
    public static readonly ClusterDiscoverySettings Seeds = new(ClusterDiscoveryMethod.Seeds, 8558, "app=gateway");

    public static ClusterDiscoverySettings From(ClusterOptions cluster)
    {
        var method = cluster.Discovery switch
        {
            "seeds" => ClusterDiscoveryMethod.Seeds,
            "kubernetes" => ClusterDiscoveryMethod.Kubernetes,
            _ => throw new ConfigurationError("Cluster:Discovery", $"'{cluster.Discovery}' is not seeds or kubernetes"),
        };
        if (method == ClusterDiscoveryMethod.Kubernetes && cluster.SeedNodes is { Length: > 0 })
        {
            throw new ConfigurationError("Cluster:SeedNodes", "not used with Cluster:Discovery=kubernetes (the nodes find each other through the Kubernetes API): remove them");
        }

        if (cluster.ManagementPort is < 1 or > 65535)
        {
            throw new ConfigurationError("Cluster:ManagementPort", "must be 1..65535");
        }

        if (method == ClusterDiscoveryMethod.Kubernetes && cluster.ManagementPort == cluster.Port)
        {
            throw new ConfigurationError("Cluster:ManagementPort", $"must differ from Cluster:Port ({cluster.Port}): remoting and Akka.Management each bind their own");
        }

        return new ClusterDiscoverySettings(method, cluster.ManagementPort, CheckedSelector(cluster.DiscoveryLabelSelector));
    }

    /// <summary>
    /// A Kubernetes label selector ("app=gateway", "app=gateway,tier!=canary"). Braces are refused: Akka's discovery
    /// formats the selector with its service name ("app={0}"), and a stray brace would break that format.
    /// </summary>
    private static string CheckedSelector(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            throw new ConfigurationError("Cluster:DiscoveryLabelSelector", "must select the gateway's pods, e.g. app=gateway");
        }

        if (selector.Any(c => char.IsControl(c) || c is '{' or '}' or '"'))
        {
            throw new ConfigurationError("Cluster:DiscoveryLabelSelector", $"'{selector}' is not a label selector (no braces, quotes or control characters), e.g. app=gateway");
        }

        return selector.Trim();
    }
}
