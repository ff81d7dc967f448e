using Gateway.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>DESIGN's configuration contract: JSON, then environment, then switches; every error names its key.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-config-").FullName;

    [Fact]
    public void With_nothing_configured_the_embedded_defaults_apply()
    {
        var settings = ConfigurationLoader.Load(null, []);

        Assert.Equal("127.0.0.1:2525", Assert.Single(settings.Listen).ToString());
        Assert.Equal(["localhost"], settings.LocalDomains.ToArray());
        Assert.Equal("var/spool", settings.QueueDirectory);
        Assert.Equal("var/mail", settings.MaildirRoot);
        Assert.Equal(10_485_760, settings.MaxMessageSize);
        Assert.Equal(100, settings.MaxRecipients);
        Assert.Equal(TimeSpan.FromSeconds(300), settings.IdleTimeout);
        Assert.Empty(settings.SeedNodes);
    }

    [Fact]
    public void Reverse_lookups_are_on_by_default_through_the_system_resolver_and_servers_default_to_port_53()
    {
        var defaults = ConfigurationLoader.Load(null, []).Dns;
        var configured = ConfigurationLoader.Load(null, ["--Dns:Servers:0=127.0.0.1", "--Dns:Servers:1=[::1]:5353", "--Dns:Timeout=2.5"]).Dns;

        Assert.Equal((true, 0, TimeSpan.FromSeconds(10)), (defaults.ReverseLookup, defaults.Servers.Count, defaults.Timeout));
        Assert.Equal(["127.0.0.1:53", "[::1]:5353"], configured.Servers.Select(s => s.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(2.5), configured.Timeout);
    }

    [Fact]
    public void PROXY_listeners_are_off_by_default_and_read_with_their_balancers_and_timeout()
    {
        var defaults = ConfigurationLoader.Load(null, []).Proxy;
        var configured = ConfigurationLoader.Load(
            null, ["--Smtp:ProxyProtocolListen:0=127.0.0.1:2626", "--Smtp:ProxyTrustedAddresses:0=127.0.0.1", "--Smtp:ProxyTrustedAddresses:1=10.0.0.0/24", "--Smtp:ProxyTimeout=2.5"]).Proxy;

        Assert.Same(ProxySettings.None, defaults);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.Timeout);
        Assert.Equal("127.0.0.1:2626", Assert.Single(configured.Listen).ToString());
        Assert.Equal(["127.0.0.1/32", "10.0.0.0/24"], configured.Trusted.Networks.Select(n => n.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(2.5), configured.Timeout);
    }

    [Fact]
    public void A_PROXY_listener_with_no_trusted_balancer_is_an_error_naming_the_trusted_addresses()
    {
        var error = Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(null, ["--Smtp:ProxyProtocolListen:0=127.0.0.1:2626"]));

        Assert.Equal("Smtp:ProxyTrustedAddresses", error.Key);
        Assert.Contains("Smtp:ProxyProtocolListen", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_switch_overrides_the_file()
    {
        var file = Write("""{ "Smtp": { "MaxRecipients": 7, "LocalDomains": [ "example.test" ] } }""");

        var fromFile = ConfigurationLoader.Load(file, []);
        var overridden = ConfigurationLoader.Load(file, ["--Smtp:MaxRecipients=9"]);

        Assert.Equal(7, fromFile.MaxRecipients);
        Assert.Equal(["example.test"], fromFile.LocalDomains.ToArray());
        Assert.Equal(9, overridden.MaxRecipients);
    }

    [Theory]
    [InlineData("--Smtp:MaxRecipients=0", "Smtp:MaxRecipients")]
    [InlineData("--Smtp:MaxMessageSize=-1", "Smtp:MaxMessageSize")]
    [InlineData("--Smtp:IdleTimeout=0", "Smtp:IdleTimeout")]
    [InlineData("--Smtp:MaxBadCommands=0", "Smtp:MaxBadCommands")]
    [InlineData("--Smtp:Listen:0=localhost", "Smtp:Listen")]
    [InlineData("--Smtp:Listen:0=127.0.0.1:99999", "Smtp:Listen")]
    [InlineData("--Delivery:Concurrency=0", "Delivery:Concurrency")]
    [InlineData("--Cluster:Port=70000", "Cluster:Port")]
    [InlineData("--Logging:LogLevel=100", "Logging:LogLevel")]
    [InlineData("--Logging:Format=xml", "Logging:Format")]
    [InlineData("--Tls:DnFormat=rfc2253", "Tls:DnFormat")]
    [InlineData("--Dns:Timeout=0", "Dns:Timeout")]
    [InlineData("--Dns:Timeout=121", "Dns:Timeout")]
    [InlineData("--Dns:Servers:0=dns.example", "Dns:Servers")]
    [InlineData("--Smtp:ProxyProtocolListen:0=balancer:2626", "Smtp:ProxyProtocolListen")]
    [InlineData("--Smtp:ProxyTrustedAddresses:0=10.0.0.1/8", "Smtp:ProxyTrustedAddresses")]
    [InlineData("--Smtp:ProxyTrustedAddresses:0=balancer.example", "Smtp:ProxyTrustedAddresses")]
    [InlineData("--Smtp:ProxyTimeout=0", "Smtp:ProxyTimeout")]
    [InlineData("--Smtp:ProxyTimeout=301", "Smtp:ProxyTimeout")]
    [InlineData("--Http:Listen=localhost:9025", "Http:Listen")]
    [InlineData("--Http:Listen=127.0.0.1", "Http:Listen")]
    [InlineData("--Http:Listen=127.0.0.1:99999", "Http:Listen")]
    public void An_invalid_value_is_an_error_that_names_the_key(string change, string key)
    {
        var error = Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(null, [change]));

        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_key()
    {
        var error = Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(null, ["--Smtp:MaxRecipients=many"]));

        Assert.Contains("Smtp:MaxRecipients", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_is_an_error_not_silently_ignored()
    {
        var file = Write("""{ "Smtp": { "MaxRecipient": 7 } }""");

        var error = Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(file, []));

        Assert.Contains("MaxRecipient", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_an_error_naming_it()
    {
        var missing = Path.Combine(_dir, "nope.json");

        var error = Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(missing, []));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_JSON_is_an_error_naming_the_file()
    {
        var file = Write("""{ "Smtp": { "MaxRecipients": 7, } """);

        var error = Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(file, []));

        Assert.Contains("gateway.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_listens_on_loopback_port_9025_by_default_and_an_empty_value_turns_it_off()
    {
        Assert.Equal("127.0.0.1:9025", ConfigurationLoader.Load(null, []).HttpListen?.ToString());
        Assert.Null(ConfigurationLoader.Load(null, ["--Http:Listen="]).HttpListen);
        Assert.Equal("0.0.0.0:9025", ConfigurationLoader.Load(null, ["--Http:Listen=0.0.0.0:9025"]).HttpListen?.ToString());
        Assert.Equal("[::1]:0", ConfigurationLoader.Load(null, ["--Http:Listen=[::1]:0"]).HttpListen?.ToString());
    }

    [Fact]
    public void The_example_configuration_in_deploy_is_valid_and_holds_exactly_the_defaults()
    {
        var example = ConfigurationLoader.Load(Path.Combine(AppContext.BaseDirectory, "gateway.example.json"), []);
        var defaults = ConfigurationLoader.Load(null, []);

        Assert.Equal(defaults.Listen, example.Listen);
        Assert.Equal(defaults.LocalDomains.ToArray(), example.LocalDomains.ToArray());
        Assert.Equal(defaults.Relay.Routes.Entries, example.Relay.Routes.Entries);
        Assert.Equal(defaults.Relay.Routes.Fallback, example.Relay.Routes.Fallback);
        Assert.Equal(defaults.ClientLimits.Exceptions.Networks, example.ClientLimits.Exceptions.Networks);
        Assert.Equal(defaults, example with
        {
            Listen = defaults.Listen, LocalDomains = defaults.LocalDomains, SeedNodes = defaults.SeedNodes,
            ImplicitTlsListen = defaults.ImplicitTlsListen, DontBlameSendmail = defaults.DontBlameSendmail,
            Relay = example.Relay with { Routes = defaults.Relay.Routes },
            ClientLimits = example.ClientLimits with { Exceptions = defaults.ClientLimits.Exceptions },
        });
    }

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "gateway.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
