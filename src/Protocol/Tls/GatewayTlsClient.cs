using System.Net;
using System.Text;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tls;

/// <summary>
/// BouncyCastle's client callbacks for one session: versions, suites, SNI, the client certificate, and
/// the server's certificate, which is recorded, never judged here (SPEC R16/R23: a server certificate
/// that does not verify must not fail the handshake; {verify} says FAIL and policy decides).
/// </summary>
internal sealed class GatewayTlsClient(TlsClientOptions options) : DefaultTlsClient(options.Crypto), ITlsCallbacks
{
    // Forward-secret AEAD suites first, strongest first. Then CBC and static-RSA suites for old
    // servers: opportunistic SMTP (R20) encrypts with what the server has, since the alternative
    // is clear text.
    private static readonly int[] Suites =
    [
        CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    ];

    private static readonly int[] AnonymousSuites =
    [
        CipherSuite.TLS_ECDH_anon_WITH_AES_256_CBC_SHA, CipherSuite.TLS_ECDH_anon_WITH_AES_128_CBC_SHA,
    ];

    public TlsNotifications Notifications { get; } = new();

    /// <summary>The server's chain as received (leaf first); empty when none was sent (anonymous suite).</summary>
    public IReadOnlyList<TlsCertificate> ReceivedChain { get; private set; } = [];

    public bool ClientCertificateRequested { get; private set; }

    public bool ClientCertificateSent { get; private set; }

    /// <summary>Why no client certificate went out although the server asked, or null.</summary>
    public string? ClientCertificateNote { get; private set; }

    public TlsContext Context => m_context;

    public DnFormat DnFormat => options.DnFormat;

    /// <summary>The SNI host name sent, or null (none configured, or an IP literal: RFC 6066 §3 forbids those).</summary>
    public string? SniName { get; } = SniFor(options.ServerName);

    protected override ProtocolVersion[] GetSupportedVersions() => [.. options.Versions];

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, options.OfferAnonymous ? [.. Suites, .. AnonymousSuites] : Suites);

    protected override IList<ServerName>? GetSniServerNames() =>
        SniName is null ? null : [new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(SniName))];

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Notifications.HandshakeCompleted();
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
        Notifications.AlertRaised(alertLevel, alertDescription, message, cause);

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        Notifications.AlertReceived(alertLevel, alertDescription);

    // R23: the client always expects a certificate, so none at all is NO, not NOT.
    public (string Verify, string Reason) Judge(IReadOnlyList<X509Certificate> chain) => options.Verifier.Verify(chain);

    private static string? SniFor(string? serverName)
    {
        var name = serverName?.TrimEnd('.');
        return string.IsNullOrEmpty(name) || IPAddress.TryParse(name.Trim('[', ']'), out _) || !Ascii.IsValid(name) ? null : name;
    }

    private TlsCredentials? ClientCredentials(CertificateRequest request)
    {
        ClientCertificateRequested = true;
        if (options.Credentials is not { } credentials)
        {
            return null;
        }

        var tls13 = TlsUtilities.IsTlsV13(m_context);
        var type = credentials.IsEc ? ClientCertificateType.ecdsa_sign : ClientCertificateType.rsa_sign;
        if (!tls13 && request.CertificateTypes is { } types && !types.Contains(type))
        {
            ClientCertificateNote = $"the server accepts no {(credentials.IsEc ? "ECDSA" : "RSA")} client certificate";
            return null;
        }

        if (TlsSigning.FirstUsable(request.SupportedSignatureAlgorithms, credentials, tls13) is not { } scheme)
        {
            ClientCertificateNote = "the server offers no signature scheme our key can make";
            return null;
        }

        var crypto = (BcTlsCrypto)Crypto;
        TlsCertificate[] chain = [.. credentials.Chain.Select(c => crypto.CreateCertificate(c.GetEncoded()))];
        var certificate = TlsSigning.CertificateMessage(m_context, request.GetCertificateRequestContext(), chain);
        ClientCertificateSent = true;
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, credentials.PrivateKey, certificate, scheme);
    }

    private sealed class Authentication(GatewayTlsClient client) : TlsAuthentication
    {
        // SPEC R16/R23: record the chain, never throw; judging it is the engine's job after the handshake.
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client.ReceivedChain = serverCertificate?.Certificate?.GetCertificateList() ?? [];

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) =>
            client.ClientCredentials(certificateRequest);
    }
}
