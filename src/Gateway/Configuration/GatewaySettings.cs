using System.Net;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;

namespace Gateway.Configuration;

/// <summary>The validated configuration: every default resolved, every address parsed.</summary>
internal sealed record GatewaySettings(
    IReadOnlyList<IPEndPoint> Listen,
    string Hostname,
    IReadOnlySet<string> LocalDomains,
    long MaxMessageSize,
    int MaxRecipients,
    int MaxConnections,
    int MaxConnectionsPerClient,
    int MaxBadCommands,
    TimeSpan IdleTimeout,
    string QueueDirectory,
    string MaildirRoot,
    int DeliveryConcurrency,
    string ClusterHostname,
    int ClusterPort,
    IReadOnlyList<string> SeedNodes,
    int LogLevel,
    TlsSettings Tls,
    IReadOnlyList<IPEndPoint> ImplicitTlsListen,
    IReadOnlySet<string> DontBlameSendmail)
{
    /// <summary>Access:* (the access map); none by default.</summary>
    public AccessSettings Access { get; init; } = AccessSettings.None;

    /// <summary>Entropy:RandFile as written (null: the kernel device, SPEC R71); judged when the node seeds, not here (R72).</summary>
    public string? RandFile { get; init; }

    /// <summary>Entropy:ReseedInterval: how often the node's generator is reseeded from the same source.</summary>
    public TimeSpan ReseedInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Delivery:Routes, Delivery:SmartHost, Queue:RetrySchedule and their kin: where mail goes and how long it may wait.</summary>
    public RelayConfiguration Relay { get; init; } = RelayConfiguration.Default;

    /// <summary>Smtp:StressThreshold and Smtp:StressTimeout: shorter timeouts for sessions begun near Smtp:MaxConnections.</summary>
    public StressSettings Stress { get; init; } = new(80, TimeSpan.FromSeconds(10));

    /// <summary>Smtp:DrainTimeout: how long a stopping node lets transactions in flight finish.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Smtp:ProxyProtocolListen, Smtp:ProxyTrustedAddresses, Smtp:ProxyTimeout; no PROXY listener by default.</summary>
    public ProxySettings Proxy { get; init; } = ProxySettings.None;

    /// <summary>Logging:Format=json: one JSON object per log line (the console's JSON formatter), for log shippers.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Smtp:MaxConnectionRatePerClient and Smtp:ClientLimitExceptions (loopback by default).</summary>
    public ClientLimitSettings ClientLimits { get; init; } = ClientLimitSettings.Default;

    /// <summary>Dns:*: the clients' reverse lookup.</summary>
    public DnsSettings Dns { get; init; } = DnsSettings.Default;

    /// <summary>Http:Listen: where /metrics and /health/* are served; null: nowhere.</summary>
    public IPEndPoint? HttpListen { get; init; } = DefaultHttpListen;

    public static readonly IPEndPoint DefaultHttpListen = new(IPAddress.Loopback, 9025);

    /// <summary>Http:StatusInterval: how often the node publishes its status record to the cluster.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Cluster:Discovery and its keys: static seeds or Kubernetes API discovery.</summary>
    public ClusterDiscoverySettings Discovery { get; init; } = ClusterDiscoverySettings.Seeds;
}

/// <summary>
/// Dns:ReverseLookup (each client's PTR name, forward-confirmed, before the greeting), Dns:Servers (ask these
/// name servers directly; none: the system's resolver, /etc/hosts and resolv.conf) and Dns:Timeout (the most the
/// greeting waits; after it the client is TEMP).
/// </summary>
internal sealed record DnsSettings(bool ReverseLookup, IReadOnlyList<IPEndPoint> Servers, TimeSpan Timeout)
{
    public static readonly DnsSettings Default = new(true, [], TimeSpan.FromSeconds(10));
}

/// <summary>
/// The outbound side's settings: the route table (local domains included), the connection limit per destination,
/// the retry schedule, and our client certificate for STARTTLS (Tls:ClientCertFile and Tls:ClientKeyFile, checked as
/// the server's own files are when the node starts).
/// </summary>
internal sealed record RelayConfiguration(RouteTable Routes, int MaxConnectionsPerDestination, RetrySchedule Schedule)
{
    public static readonly RelayConfiguration Default = new(
        RouteTable.Build(new Dictionary<string, string>(), null, _ => false, out _)!, 20, RetrySchedule.Default);
}
