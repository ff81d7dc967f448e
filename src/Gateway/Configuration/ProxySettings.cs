using System.Net;
using Gateway.Protocol.Session;

namespace Gateway.Configuration;

/// <summary>
/// The validated PROXY protocol keys: Smtp:ProxyProtocolListen (listeners that expect a PROXY v1 or v2 header before
/// SMTP), Smtp:ProxyTrustedAddresses (the balancers allowed to send one) and Smtp:ProxyTimeout (how long the header may
/// take after the accept).
/// </summary>
internal sealed record ProxySettings(IReadOnlyList<IPEndPoint> Listen, NetworkList Trusted, TimeSpan Timeout)
{
    /// <summary>
    /// Postfix's smtpd_upstream_proxy_timeout is 5 s too: a balancer writes the header as soon as it has connected,
    /// so a longer wait only holds a slot for a peer that is not one.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static readonly ProxySettings None = new([], NetworkList.Empty, DefaultTimeout);
}
