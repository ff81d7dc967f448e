using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tls;

/// <summary>
/// BouncyCastle's server callbacks for one session: versions, suites, credentials, the certificate
/// request, and the client's certificate, which is recorded, never judged here (SPEC R16: a bad
/// client certificate must not fail the handshake; {verify} says FAIL and policy decides).
/// </summary>
internal sealed class GatewayTlsServer(TlsServerOptions options) : DefaultTlsServer(options.Crypto), ITlsCallbacks
{
    // TLS 1.2 suites for each key type; BouncyCastle's default offers only RSA-signed ones, so an
    // ECDSA certificate failed every TLS 1.2 client ("wrong certificate type"). No static-RSA
    // key exchange (no forward secrecy), no CBC where a GCM/ChaCha suite exists.
    private static readonly int[] EcSuites =
    [
        CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    ];

    private static readonly int[] RsaSuites =
    [
        CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    ];

    public TlsNotifications Notifications { get; } = new();

    /// <summary>The client's chain as received (leaf first); empty when none was sent.</summary>
    public IReadOnlyList<TlsCertificate> ReceivedChain { get; private set; } = [];

    public bool ClientCertificateRequested { get; private set; }

    public TlsContext Context => m_context;

    public DnFormat DnFormat => options.DnFormat;

    // SPEC R91: no SSLv3, no TLS 1.0/1.1 (RFC 8996).
    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12);

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, options.Credentials.IsEc ? EcSuites : RsaSuites);

    // Our order, not the client's: strongest first.
    protected override bool PreferLocalCipherSuites() => true;

    public override CertificateRequest? GetCertificateRequest()
    {
        if (!options.RequestClientCertificate)
        {
            return null;
        }

        ClientCertificateRequested = true;
        var sigAlgs = TlsUtilities.IsSignatureAlgorithmsExtensionAllowed(m_context.ServerVersion)
            ? TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context)
            : null;
        var authorities = options.CertificateAuthorities.ToList();
        return TlsUtilities.IsTlsV13(m_context)
            // RFC 8446 §4.2.4: certificate_authorities may not be empty; omit it instead.
            ? new CertificateRequest(TlsUtilities.EmptyBytes, sigAlgs, null, authorities.Count > 0 ? authorities : null)
            : new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], sigAlgs, authorities);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate) =>
        ReceivedChain = clientCertificate?.GetCertificateList() ?? [];

    public override TlsCredentials GetCredentials() =>
        TlsUtilities.IsTlsV13(m_context) ? Signer() : base.GetCredentials();

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => Signer();

    protected override TlsCredentialedSigner GetRsaSignerCredentials() => Signer();

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Notifications.HandshakeCompleted();
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
        Notifications.AlertRaised(alertLevel, alertDescription, message, cause);

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        Notifications.AlertReceived(alertLevel, alertDescription);

    // SPEC R41: without a request the client cannot have sent a certificate, and {verify} is NOT.
    public (string Verify, string Reason) Judge(IReadOnlyList<X509Certificate> chain) =>
        ClientCertificateRequested ? options.Verifier.Verify(chain) : (VerifyValues.Not, "no certificate requested");

    private DefaultTlsCredentialedSigner Signer()
    {
        var certificate = TlsSigning.CertificateMessage(m_context, TlsUtilities.EmptyBytes, options.TlsChain);
        var scheme = TlsSigning.FirstUsable(m_context.SecurityParameters.ClientSigAlgs, options.Credentials, TlsUtilities.IsTlsV13(m_context))
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure, "no signature scheme in common with the client");
        return options.PlatformSigner is { } platform
            ? new DefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), platform, certificate, scheme)
            : new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), (BcTlsCrypto)Crypto, options.Credentials.PrivateKey, certificate, scheme);
    }
}
