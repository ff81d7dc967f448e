using Gateway.Protocol.Session;

namespace Gateway.Configuration;

/// <summary>
/// Smtp:MaxConnectionRatePerClient and Smtp:ClientLimitExceptions, counted across the cluster with
/// Smtp:MaxConnectionsPerClient (Postfix's anvil limits: smtpd_client_connection_rate_limit and
/// smtpd_client_event_limit_exceptions, whose default is $mynetworks; here loopback).
/// </summary>
/// <param name="MaxRatePerMinute">Connections a client may begin per minute; 0: no rate limit (Postfix's default).</param>
/// <param name="Exceptions">Clients never counted nor refused by these limits.</param>
/// <param name="Ipv6PrefixLength">An IPv6 client is counted by its network of this prefix (Postfix's smtpd_client_ipv6_prefix_length).</param>
internal sealed record ClientLimitSettings(int MaxRatePerMinute, NetworkList Exceptions, int Ipv6PrefixLength = ClientLimitSettings.DefaultIpv6PrefixLength)
{
    /// <summary>Postfix's default: a site gets a /48 or /56, a host often a /64 and any address in it.</summary>
    public const int DefaultIpv6PrefixLength = 84;

    /// <summary>Loopback, IPv4 and IPv6: the node's own tools and a local balancer's health checks.</summary>
    public static readonly IReadOnlyList<string> DefaultExceptions = ["127.0.0.0/8", "::1"];

    public static ClientLimitSettings Default { get; } = new(0, Loopback(), DefaultIpv6PrefixLength);

    private static NetworkList Loopback()
    {
        NetworkList.TryParse(DefaultExceptions, out var list, out _);
        return list;
    }
}
