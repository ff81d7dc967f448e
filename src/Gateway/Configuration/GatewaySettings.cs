using System.Net;

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
    TimeSpan RetryDelay,
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
}
