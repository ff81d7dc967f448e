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
    // TLS 1.3's suites, then TLS 1.2's for each key type. BouncyCastle's default offers only RSA-signed ones, so an
    // ECDSA certificate failed every TLS 1.2 client ("wrong certificate type"). No static-RSA key exchange (no forward
    // secrecy). AEAD only unless Tls:AllowCbc: the CBC suites' MAC-then-encrypt is what LUCKY13 and its kin attack.
    private static readonly int[] Tls13Suites =
        [CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256];

    private static readonly int[] EcSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ];

    private static readonly int[] RsaSuites =
    [
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    private static readonly int[] EcCbcSuites =
        [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256];

    private static readonly int[] RsaCbcSuites =
        [CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256];

    // TLS 1.2's ECDHE curves, in our order. BouncyCastle's default takes the client's first of any size it knows,
    // which let a client choose binary (sect163k1) or 160-bit curves (testssl.sh listed 30); these are the curves
    // TLS 1.3 offers too, X25519 first (the cheapest).
    private static readonly int[] Curves = [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.x448, NamedGroup.secp384r1, NamedGroup.secp521r1];

    // Resumption (TLS 1.2 only): the ClientHello's session_ticket extension (null: not offered; empty: offered without
    // a ticket), and the session found for it, applied only if BouncyCastle does resume (it may still refuse: another
    // version, EMS).
    private byte[]? _offeredTicket;
    private bool _ticketIssued;
    private (ResumableSession Session, ResumedBy By)? _resuming;

    public TlsNotifications Notifications { get; } = new();

    /// <summary>How this session was resumed; null after a full handshake.</summary>
    public ResumedBy? ResumedBy { get; private set; }

    /// <summary>The client's chain as received (leaf first); empty when none was sent.</summary>
    public IReadOnlyList<TlsCertificate> ReceivedChain { get; private set; } = [];

    public bool ClientCertificateRequested { get; private set; }

    public TlsContext Context => m_context;

    public DnFormat DnFormat => options.DnFormat;

    // SPEC R91: no SSLv3, no TLS 1.0/1.1 (RFC 8996).
    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12);

    /// <summary>ECDSA's suites before RSA's: a client that can take either gets the cheaper signature.</summary>
    protected override int[] GetSupportedCipherSuites()
    {
        var (ec, rsa, cbc) = (options.Ec is not null, options.Rsa is not null, options.AllowCbc);
        int[] suites =
        [
            .. Tls13Suites,
            .. ec ? EcSuites : [],
            .. rsa ? RsaSuites : [],
            .. ec && cbc ? EcCbcSuites : [],
            .. rsa && cbc ? RsaCbcSuites : [],
        ];
        return TlsUtilities.GetSupportedCipherSuites(Crypto, suites);
    }

    // Our order, not the client's: strongest first.
    protected override bool PreferLocalCipherSuites() => true;

    /// <summary>TLS 1.3's key-share groups: the same curves, then RFC 7919's finite fields; in our order.</summary>
    public override int[] GetSupportedGroups() => [.. Curves, NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096];

    public override bool PreferLocalSupportedGroups() => true;

    /// <summary>
    /// The biggest of our curves the client offers: what decides whether an ECDHE suite is selectable at all, so that a
    /// client offering only curves we refuse gets a handshake_failure alert rather than a curve it did not ask for.
    /// </summary>
    protected override int GetMaximumNegotiableCurveBits()
    {
        var offered = m_context.SecurityParameters.ClientSupportedGroups;
        return offered is null
            ? base.GetMaximumNegotiableCurveBits()
            : Curves.Where(c => Array.IndexOf(offered, c) >= 0).Select(NamedGroup.GetCurveBits).DefaultIfEmpty(0).Max();
    }

    /// <summary>Our first curve the client offers and that is big enough; a client without the extension gets P-256 (RFC 8422 §4).</summary>
    protected override int SelectECDH(int minimumCurveBits)
    {
        var offered = m_context.SecurityParameters.ClientSupportedGroups;
        if (offered is null)
        {
            return SelectECDHDefault(minimumCurveBits);
        }

        foreach (var curve in Curves)
        {
            if (Array.IndexOf(offered, curve) >= 0 && NamedGroup.GetCurveBits(curve) >= minimumCurveBits)
            {
                return curve;
            }
        }

        return -1;
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        _offeredTicket = TlsUtilities.GetExtensionData(clientExtensions, ExtensionType.session_ticket);
    }

    /// <summary>TLS 1.2 only (BouncyCastle asks only then): the session the client's ticket or session ID names, if fresh and still acceptable.</summary>
    public override TlsSession? GetSessionToResume(byte[] sessionID)
    {
        if (options.Resumption is not { } resumption || resumption.Find(sessionID, _offeredTicket) is not { } found
            || Array.IndexOf(GetSupportedCipherSuites(), found.Session.CipherSuite) < 0)
        {
            // A suite we no longer offer (Tls:AllowCbc turned off, a certificate type gone) is not resumed either.
            return null;
        }

        _resuming = found;
        var session = found.Session;
        var parameters = new SessionParameters.Builder()
            .SetNegotiatedVersion(ProtocolVersion.TLSv12)
            .SetCipherSuite(session.CipherSuite)
            .SetMasterSecret(Crypto.CreateSecret(session.MasterSecret))
            .SetExtendedMasterSecret(session.ExtendedMasterSecret)
            .SetServerExtensions(session.ServerExtensions.ToDictionary(e => e.Key, e => e.Value))
            .Build();
        return TlsUtilities.ImportSession(sessionID, parameters);
    }

    public override byte[]? GetNewSessionID() =>
        options.Resumption is null || TlsUtilities.IsTlsV13(m_context) ? null : TlsResumption.NewSessionId(Crypto.SecureRandom);

    /// <summary>A full TLS 1.2 handshake with a client that takes tickets announces one (RFC 5077 §3.2).</summary>
    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions();
        if (options.Resumption is not null && _offeredTicket is not null && !TlsUtilities.IsTlsV13(m_context))
        {
            TlsExtensionsUtilities.AddEmptyExtensionData(extensions, ExtensionType.session_ticket);
        }

        return extensions;
    }

    /// <summary>RFC 5077 §3.3: asked for once the client's Finished is in, when <see cref="GetServerExtensions"/> announced it.</summary>
    public override NewSessionTicket GetNewSessionTicket()
    {
        if (options.Resumption is not { } resumption)
        {
            return base.GetNewSessionTicket();
        }

        _ticketIssued = true;
        var session = Resumable(m_context.SecurityParameters.MasterSecret, resumption.Now);
        return new NewSessionTicket((long)resumption.Timeout.TotalSeconds, resumption.Seal(session, Crypto.SecureRandom));
    }

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

    /// <summary>
    /// TLS 1.3 has no key type in its suites: the certificate is chosen by the client's signature_algorithms, ECDSA
    /// when it can verify it. TLS 1.2's suite names the key type, and BouncyCastle asks for that one (below).
    /// </summary>
    public override TlsCredentials GetCredentials()
    {
        if (!TlsUtilities.IsTlsV13(m_context))
        {
            return base.GetCredentials();
        }

        var offered = m_context.SecurityParameters.ClientSigAlgs;
        var identity = options.Ec is { } ec && TlsSigning.FirstUsable(offered, ec.Credentials, tls13: true) is not null
            ? ec
            : options.Rsa ?? options.Ec!;
        return Signer(identity);
    }

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() =>
        Signer(options.Ec ?? throw new TlsFatalAlert(AlertDescription.internal_error, "an ECDSA suite was chosen without an ECDSA certificate"));

    protected override TlsCredentialedSigner GetRsaSignerCredentials() =>
        Signer(options.Rsa ?? throw new TlsFatalAlert(AlertDescription.internal_error, "an RSA suite was chosen without an RSA certificate"));

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var parameters = m_context.SecurityParameters;
        if (parameters.IsResumedSession && _resuming is { } resumed)
        {
            // The first handshake's client, as its ticket or the cache remembers it; Judge checks the chain again.
            ReceivedChain = [.. resumed.Session.PeerChain.Select(der => Crypto.CreateCertificate(der))];
            ClientCertificateRequested = resumed.Session.CertificateRequested;
            ResumedBy = resumed.By;
        }
        else if (options.Resumption is { } resumption && !_ticketIssued && !TlsUtilities.IsTlsV13(m_context)
            && parameters.SessionID is { Length: > 0 } id && m_context.Session?.ExportSessionParameters() is { } session)
        {
            // A client without tickets: it may come back with this session ID, to this node.
            resumption.Cache.Remember(id, Resumable(session.MasterSecret, resumption.Now));
        }

        Notifications.HandshakeCompleted();
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
        Notifications.AlertRaised(alertLevel, alertDescription, message, cause);

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        Notifications.AlertReceived(alertLevel, alertDescription);

    // SPEC R41: without a request the client cannot have sent a certificate, and {verify} is NOT.
    public (string Verify, string Reason) Judge(IReadOnlyList<X509Certificate> chain) =>
        ClientCertificateRequested ? options.Verifier.Verify(chain) : (VerifyValues.Not, "no certificate requested");

    /// <summary>This session as a ticket or the cache keeps it: no session_ticket among the extensions a resumption repeats.</summary>
    private ResumableSession Resumable(TlsSecret masterSecret, DateTimeOffset now) => new(
        m_context.SecurityParameters.CipherSuite,
        masterSecret.Encrypt(CopyingEncryptor.Instance),
        m_context.SecurityParameters.IsExtendedMasterSecret,
        m_serverExtensions.Where(e => e.Key != ExtensionType.session_ticket).ToDictionary(e => e.Key, e => e.Value),
        ClientCertificateRequested,
        [.. ReceivedChain.Select(c => c.GetEncoded())],
        now);

    private DefaultTlsCredentialedSigner Signer(ServerIdentity identity)
    {
        var certificate = TlsSigning.CertificateMessage(m_context, TlsUtilities.EmptyBytes, identity.TlsChain);
        var scheme = TlsSigning.FirstUsable(m_context.SecurityParameters.ClientSigAlgs, identity.Credentials, TlsUtilities.IsTlsV13(m_context))
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure, "no signature scheme in common with the client");
        return identity.PlatformSigner is { } platform
            ? new DefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), platform, certificate, scheme)
            : new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), (BcTlsCrypto)Crypto, identity.Credentials.PrivateKey, certificate, scheme);
    }
}
