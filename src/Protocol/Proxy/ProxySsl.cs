namespace Gateway.Protocol.Proxy;

/// <summary>The PP2_TYPE_SSL TLV (§2.2.6): the client's TLS as the balancer terminated it.</summary>
/// <param name="Client">The PP2_CLIENT_* bit field.</param>
/// <param name="Verify">Zero when the client presented a certificate and it verified.</param>
/// <param name="TlsVersion">PP2_SUBTYPE_SSL_VERSION, e.g. "TLSv1.3".</param>
/// <param name="CommonName">PP2_SUBTYPE_SSL_CN of the client certificate.</param>
/// <param name="Cipher">PP2_SUBTYPE_SSL_CIPHER, e.g. "ECDHE-RSA-AES128-GCM-SHA256".</param>
public sealed record ProxySsl(byte Client, uint Verify, string? TlsVersion, string? CommonName, string? Cipher)
{
    public const byte ClientSsl = 0x01;
    public const byte ClientCertConnection = 0x02;
    public const byte ClientCertSession = 0x04;

    public bool ClientUsedTls => (Client & ClientSsl) != 0;

    /// <summary>The client sent a certificate on this connection and the balancer verified it.</summary>
    public bool ClientCertificateVerified => (Client & ClientCertConnection) != 0 && Verify == 0;
}
