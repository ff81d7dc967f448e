using System.Net;
using Gateway.Configuration;
using Gateway.Protocol.Session;

namespace Gateway.Listener;

/// <summary>
/// Where to listen (plain SMTP with STARTTLS, TLS-on-connect, SPEC R18, and behind a balancer with the PROXY
/// protocol) and how many connections to allow.
/// </summary>
internal sealed record ListenerSettings(
    IReadOnlyList<IPEndPoint> Endpoints,
    int MaxConnections,
    int MaxConnectionsPerClient,
    IReadOnlyList<IPEndPoint>? ImplicitTlsEndpoints = null)
{
    /// <summary>Smtp:ProxyProtocolListen: plain SMTP listeners whose connections start with a PROXY header.</summary>
    public IReadOnlyList<IPEndPoint> ProxyEndpoints { get; init; } = [];

    /// <summary>Smtp:ProxyTrustedAddresses: the only peers a PROXY listener serves; anyone else is closed on at once.</summary>
    public NetworkList ProxyTrusted { get; init; } = NetworkList.Empty;

    /// <summary>Smtp:MaxConnectionRatePerClient: connections a client may begin per minute across the cluster; 0: no limit.</summary>
    public int MaxConnectionRatePerClient { get; init; }

    /// <summary>Smtp:ClientLimitExceptions: clients the per-client limits never count nor refuse.</summary>
    public NetworkList ClientLimitExceptions { get; init; } = NetworkList.Empty;

    /// <summary>Smtp:ClientIpv6PrefixLength: an IPv6 client is counted by its network of this many bits.</summary>
    public int ClientIpv6PrefixLength { get; init; } = 128;

    /// <summary>Smtp:StressThreshold and Smtp:StressTimeout; null: no stress mode.</summary>
    public StressSettings? Stress { get; init; }
}
