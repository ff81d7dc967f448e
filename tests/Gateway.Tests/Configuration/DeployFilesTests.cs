using System.Text.RegularExpressions;
using Gateway.Access;
using Gateway.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// The deployment files configure the gateway with keys and values it accepts: the container image's GATEWAY_*
/// environment, and the Kubernetes ConfigMap's gateway.json with the StatefulSet's per-pod environment. A typo
/// there would stop every pod at start; here it fails a test instead.
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string Deploy = Path.Combine(AppContext.BaseDirectory, "deploy");

    [Fact]
    public void The_container_images_environment_is_valid_configuration()
    {
        var switches = DockerEnvironment().Select(Switch).ToArray();

        var settings = ConfigurationLoader.Load(null, switches);

        Assert.Equal("0.0.0.0:2525", Assert.Single(settings.Listen).ToString());
        Assert.Equal("/var/lib/gateway/spool", settings.QueueDirectory);
        Assert.Equal("/var/lib/gateway/mail", settings.MaildirRoot);
    }

    [Fact]
    public void The_Kubernetes_config_and_pod_environment_are_valid_configuration()
    {
        var switches = PodEnvironment()
            .Select(e => (e.Name, e.Value.Replace("$(POD_IP)", "10.244.1.7", StringComparison.Ordinal)))
            .Select(Switch)
            .ToArray();

        var settings = ConfigurationLoader.Load(Path.Combine(Deploy, "kubernetes", "gateway.json"), switches);

        Assert.Equal("0.0.0.0:2525", Assert.Single(settings.Listen).ToString());
        Assert.Equal("10.244.1.7", settings.ClusterHostname);
        Assert.Equal(4053, settings.ClusterPort);
        Assert.Empty(settings.SeedNodes);
        Assert.Equal(new ClusterDiscoverySettings(ClusterDiscoveryMethod.Kubernetes, 8558, "app=gateway"), settings.Discovery);
        Assert.Equal("/etc/gateway/access/access", settings.Access.MapFile);
        Assert.Equal("0.0.0.0:9025", settings.HttpListen?.ToString());
        // Written by the init container (the gateway-ticket Secret's, or the pod's own): every pod names the same file.
        Assert.Equal("/etc/gateway/tls/ticket.key", settings.Tls.SessionTicketKeyFile);
    }

    [Fact]
    public void The_StatefulSet_names_the_management_port_that_Cluster_Bootstrap_probes_and_uses_the_discovery_account()
    {
        var statefulSet = File.ReadAllText(Path.Combine(Deploy, "kubernetes", "statefulset.yaml"));
        var rbac = File.ReadAllText(Path.Combine(Deploy, "kubernetes", "rbac.yaml"));

        Assert.Matches($@"- name: {Gateway.Hosting.ClusterDiscovery.ManagementPortName}\s*\n\s*containerPort: 8558", statefulSet);
        Assert.Matches(@"serviceAccountName: gateway\b", statefulSet);
        Assert.Matches(@"- name: http\s*\n\s*containerPort: 9025", statefulSet);
        Assert.Matches(@"readinessProbe:\s*\n\s*httpGet:\s*\n\s*path: /health/ready\s*\n\s*port: http", statefulSet);
        Assert.Matches(@"livenessProbe:\s*\n\s*httpGet:\s*\n\s*path: /health/live\s*\n\s*port: http", statefulSet);
        Assert.Matches(@"resources: \[""pods""\]\s*\n\s*verbs: \[""get"", ""watch"", ""list""\]", rbac);
    }

    [Fact]
    public void The_Kubernetes_example_access_map_parses()
    {
        var map = AccessMapFile.Load(Path.Combine(Deploy, "kubernetes", "access"), new HashSet<string>()).Map;

        Assert.Equal(0, map.Count);
    }

    /// <summary>GATEWAY_Section__Key=value as the --Section:Key=value switch it is equivalent to.</summary>
    private static string Switch((string Name, string Value) variable) =>
        $"--{variable.Name["GATEWAY_".Length..].Replace("__", ":", StringComparison.Ordinal)}={variable.Value}";

    private static IEnumerable<(string Name, string Value)> DockerEnvironment() =>
        DockerEnv().Matches(File.ReadAllText(Path.Combine(Deploy, "Dockerfile"))).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value));

    private static IEnumerable<(string Name, string Value)> PodEnvironment() =>
        PodEnv().Matches(File.ReadAllText(Path.Combine(Deploy, "kubernetes", "statefulset.yaml"))).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value.Trim()));

    [GeneratedRegex(@"(?<name>GATEWAY_\w+)=(?<value>\S+)")]
    private static partial Regex DockerEnv();

    // An uncommented "- name: GATEWAY_…" with its "value:" on the next line.
    [GeneratedRegex(@"^\s*- name: (?<name>GATEWAY_\w+)\s*\n\s*value: (?<value>.+)$", RegexOptions.Multiline)]
    private static partial Regex PodEnv();
}
