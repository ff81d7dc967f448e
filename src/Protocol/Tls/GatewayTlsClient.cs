using System.Net;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>
/// BouncyCastle's client callbacks for one session: versions, suites, SNI, the client certificate, and
/// the server's certificate, which is recorded, never judged here (SPEC R16/R23: a server certificate
/// that does not verify must not fail the handshake; {verify} says FAIL and policy decides).
/// </summary>
internal sealed class GatewayTlsClient(TlsClientOptions options) : DefaultTlsClient(options.Crypto)
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

    /// <summary>The server's chain as received (leaf first); empty when none was sent (anonymous suite).</summary>
    public IReadOnlyList<TlsCertificate> ServerChain { get; private set; } = [];

    public bool ClientCertificateRequested { get; private set; }

    public bool ClientCertificateSent { get; private set; }

    /// <summary>Why no client certificate went out although the server asked, or null.</summary>
    public string? ClientCertificateNote { get; private set; }

    public string? LastAlert { get; private set; }

    public bool HandshakeComplete { get; private set; }

    public TlsContext Context => m_context;

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
        HandshakeComplete = true;
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
        LastAlert = $"raised {AlertLevel.GetText(alertLevel)} {AlertDescription.GetText(alertDescription)}"
            + (message is null ? "" : ": " + message)
            + (cause is null || cause.Message == message ? "" : $" ({cause.GetType().Name}: {cause.GetBaseException().Message})");

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        LastAlert = $"received {AlertLevel.GetText(alertLevel)} {AlertDescription.GetText(alertDescription)}";

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

        if (SignatureScheme(request.SupportedSignatureAlgorithms, credentials, tls13) is not { } scheme)
        {
            ClientCertificateNote = "the server offers no signature scheme our key can make";
            return null;
        }

        var crypto = (BcTlsCrypto)Crypto;
        var chain = credentials.Chain.Select(c => (TlsCertificate)crypto.CreateCertificate(c.GetEncoded())).ToArray();
        var certificate = tls13
            // RFC 8446 §4.4.2: the Certificate echoes the request's context.
            ? new Certificate(request.GetCertificateRequestContext(), [.. chain.Select(c => new CertificateEntry(c, null))])
            : new Certificate(chain);
        ClientCertificateSent = true;
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, credentials.PrivateKey, certificate, scheme);
    }

    /// <summary>The first scheme the server offers that our key can make; without the extension (TLS 1.2) SHA-1.</summary>
    private static SignatureAndHashAlgorithm? SignatureScheme(
        IList<SignatureAndHashAlgorithm>? offered, TlsClientCredentials credentials, bool tls13)
    {
        if (offered is null)
        {
            return new SignatureAndHashAlgorithm(HashAlgorithm.sha1, credentials.IsEc ? SignatureAlgorithm.ecdsa : SignatureAlgorithm.rsa);
        }

        // RFC 8446 §4.2.3: in TLS 1.3 an ECDSA scheme names the curve, so the hash must match the key's curve.
        var curveHash = credentials.PrivateKey is ECPrivateKeyParameters ec
            ? ec.Parameters.Curve.FieldSize switch { <= 256 => HashAlgorithm.sha256, <= 384 => HashAlgorithm.sha384, _ => HashAlgorithm.sha512 }
            : (short)-1;
        return offered.FirstOrDefault(algorithm => credentials.IsEc
            ? algorithm.Signature == SignatureAlgorithm.ecdsa && (!tls13 || algorithm.Hash == curveHash)
            : algorithm.Signature == SignatureAlgorithm.rsa_pss_rsae_sha256
              || algorithm.Signature == SignatureAlgorithm.rsa_pss_rsae_sha384
              || algorithm.Signature == SignatureAlgorithm.rsa_pss_rsae_sha512
              || (!tls13 && algorithm.Signature == SignatureAlgorithm.rsa));
    }

    private sealed class Authentication(GatewayTlsClient client) : TlsAuthentication
    {
        // SPEC R16/R23: record the chain, never throw; judging it is the engine's job after the handshake.
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client.ServerChain = serverCertificate?.Certificate?.GetCertificateList() ?? [];

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) =>
            client.ClientCredentials(certificateRequest);
    }
}
