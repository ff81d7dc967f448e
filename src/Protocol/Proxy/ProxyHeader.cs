using System.Net;

namespace Gateway.Protocol.Proxy;

/// <summary>A complete, valid PROXY protocol header. The set is closed: only the cases nested here exist.</summary>
public abstract record ProxyHeader
{
    private ProxyHeader() { }

    /// <summary>1 for the text form (§2.1), 2 for the binary form (§2.2).</summary>
    public abstract int Version { get; }

    /// <summary>
    /// The balancer relayed a client: <see cref="Source"/> is the client, <see cref="Destination"/> the address
    /// it connected to. These replace the socket's peer and local addresses for the whole session.
    /// </summary>
    public sealed record Proxied(int Version, IPEndPoint Source, IPEndPoint Destination, ProxyTlvs Tlvs) : ProxyHeader
    {
        public override int Version { get; } = Version;
    }

    /// <summary>
    /// v2 LOCAL or v1 UNKNOWN: the balancer speaks for itself (a health check), so the session uses the
    /// socket's own addresses (§2.1 "UNKNOWN", §2.2 "LOCAL").
    /// </summary>
    public sealed record Local(int Version) : ProxyHeader
    {
        public override int Version { get; } = Version;
    }
}
