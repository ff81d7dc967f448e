namespace Gateway.Protocol.Proxy;

/// <summary>
/// The v2 TLVs the gateway keeps (§2.2.1-2.2.6); other types are bounds-checked and skipped. Null when absent.
/// </summary>
/// <param name="Alpn">PP2_TYPE_ALPN, the protocol the client negotiated with the balancer, as ASCII.</param>
/// <param name="Authority">PP2_TYPE_AUTHORITY, the host name the client asked for (TLS SNI), UTF-8.</param>
/// <param name="UniqueId">PP2_TYPE_UNIQUE_ID, the balancer's opaque connection id (at most 128 bytes).</param>
/// <param name="Ssl">PP2_TYPE_SSL, what the balancer knows of the client's TLS.</param>
/// <param name="ChecksumVerified">A PP2_TYPE_CRC32C was present and matched (a mismatch is refused, never kept).</param>
public sealed record ProxyTlvs(string? Alpn, string? Authority, byte[]? UniqueId, ProxySsl? Ssl, bool ChecksumVerified)
{
    public static readonly ProxyTlvs None = new(null, null, null, null, ChecksumVerified: false);
}
