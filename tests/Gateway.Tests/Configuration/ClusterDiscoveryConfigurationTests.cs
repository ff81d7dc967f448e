using Gateway.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>Cluster:Discovery and its keys: seeds by default, Kubernetes API discovery on request, every error by key.</summary>
public sealed class ClusterDiscoveryConfigurationTests
{
    [Fact]
    public void Without_configuration_a_node_uses_seed_nodes_and_with_none_forms_its_own_cluster()
    {
        var settings = ConfigurationLoader.Load(null, []);

        Assert.Equal(ClusterDiscoveryMethod.Seeds, settings.Discovery.Method);
        Assert.True(Gateway.Hosting.ClusterDiscovery.JoinsItself(settings));
    }

    [Fact]
    public void Kubernetes_discovery_takes_the_management_port_and_the_label_selector()
    {
        var settings = ConfigurationLoader.Load(null, ["--Cluster:Discovery=kubernetes", "--Cluster:ManagementPort=8600", "--Cluster:DiscoveryLabelSelector=app=mx,tier!=canary"]);

        Assert.Equal(new ClusterDiscoverySettings(ClusterDiscoveryMethod.Kubernetes, 8600, "app=mx,tier!=canary"), settings.Discovery);
        Assert.False(Gateway.Hosting.ClusterDiscovery.JoinsItself(settings));
    }

    [Fact]
    public void Kubernetes_discovery_defaults_to_port_8558_and_the_pods_labelled_app_gateway()
    {
        var settings = ConfigurationLoader.Load(null, ["--Cluster:Discovery=kubernetes"]);

        Assert.Equal((8558, "app=gateway"), (settings.Discovery.ManagementPort, settings.Discovery.LabelSelector));
    }

    [Theory]
    [InlineData("Cluster:Discovery", "--Cluster:Discovery=dns")]
    [InlineData("Cluster:Discovery", "--Cluster:Discovery=Kubernetes")]
    [InlineData("Cluster:SeedNodes", "--Cluster:Discovery=kubernetes", "--Cluster:SeedNodes:0=akka.tcp://gateway@10.0.0.1:4053")]
    [InlineData("Cluster:ManagementPort", "--Cluster:ManagementPort=0")]
    [InlineData("Cluster:ManagementPort", "--Cluster:ManagementPort=65536")]
    [InlineData("Cluster:ManagementPort", "--Cluster:Discovery=kubernetes", "--Cluster:ManagementPort=4053", "--Cluster:Port=4053")]
    [InlineData("Cluster:DiscoveryLabelSelector", "--Cluster:DiscoveryLabelSelector= ")]
    [InlineData("Cluster:DiscoveryLabelSelector", "--Cluster:DiscoveryLabelSelector=app={0}")]
    public void An_invalid_discovery_setting_is_an_error_that_names_the_key(string key, params string[] switches)
    {
        var error = Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(null, switches));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void Seed_nodes_with_the_default_discovery_are_kept_as_configured()
    {
        var settings = ConfigurationLoader.Load(null, ["--Cluster:SeedNodes:0=akka.tcp://gateway@10.0.0.1:4053"]);

        Assert.Equal(["akka.tcp://gateway@10.0.0.1:4053"], settings.SeedNodes);
        Assert.False(Gateway.Hosting.ClusterDiscovery.JoinsItself(settings));
    }
}
