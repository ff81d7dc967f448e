using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Actors.Tests.Support;

/// <summary>
/// The client's side of a TLS session: BouncyCastle's client engine in non-blocking mode, limited to
/// one protocol version, accepting any server certificate and presenting <c>certificate</c> when asked.
/// It never touches a socket; <see cref="FakeConnection"/> carries its bytes to and from the actor.
/// </summary>
public sealed class TlsClientPeer
{
    private readonly TlsClientProtocol _protocol = new();
    private readonly Client _client;

    public TlsClientPeer(ProtocolVersion version, TestCertificates.Issued? certificate = null) =>
        _client = new Client(version, certificate);

    public bool HandshakeComplete => _client.HandshakeComplete;

    public ProtocolVersion? NegotiatedVersion => _client.HandshakeComplete ? _client.Context.ServerVersion : null;

    /// <summary>Whether the server asked for a client certificate (a CertificateRequest arrived).</summary>
    public bool CertificateRequested => _client.CertificateRequested;

    /// <summary>The CA names the server's CertificateRequest listed (empty when it sent none).</summary>
    public IReadOnlyList<string> RequestedAuthorities => _client.RequestedAuthorities;

    /// <summary>Alerts the server sent, by description (close_notify is 0).</summary>
    public IReadOnlyList<short> AlertsReceived => _client.AlertsReceived;

    /// <summary>Starts the handshake; returns the ClientHello.</summary>
    public byte[] Start()
    {
        _protocol.Connect(_client);
        return TakeOutput();
    }

    /// <summary>Takes what the server wrote; returns the application data it carried.</summary>
    public byte[] Receive(byte[] ciphertext)
    {
        if (_protocol.IsClosed)
        {
            // After its own close_notify the client reads nothing more, such as the server's answering one.
            return [];
        }

        _protocol.OfferInput(ciphertext);
        var plaintext = new byte[_protocol.GetAvailableInputBytes()];
        if (plaintext.Length > 0)
        {
            _protocol.ReadInput(plaintext, 0, plaintext.Length);
        }

        return plaintext;
    }

    public byte[] Encrypt(byte[] plaintext)
    {
        _protocol.WriteApplicationData(plaintext, 0, plaintext.Length);
        return TakeOutput();
    }

    /// <summary>Sends close_notify; returns it with anything else still waiting to be sent.</summary>
    public byte[] Close()
    {
        _protocol.Close();
        return TakeOutput();
    }

    /// <summary>Handshake flights and alerts waiting to be sent (empty if none).</summary>
    public byte[] TakeOutput()
    {
        var output = new byte[_protocol.GetAvailableOutputBytes()];
        if (output.Length > 0)
        {
            _protocol.ReadOutput(output, 0, output.Length);
        }

        return output;
    }

    private sealed class Client(ProtocolVersion version, TestCertificates.Issued? certificate)
        : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        private readonly List<short> _alerts = [];

        public bool HandshakeComplete { get; private set; }

        public bool CertificateRequested { get; private set; }

        public IReadOnlyList<string> RequestedAuthorities { get; private set; } = [];

        public IReadOnlyList<short> AlertsReceived => _alerts;

        public TlsContext Context => m_context;

        protected override ProtocolVersion[] GetSupportedVersions() => version.Only();

        public override TlsAuthentication GetAuthentication() => new Authentication(this);

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            HandshakeComplete = true;
        }

        public override void NotifyAlertReceived(short alertLevel, short alertDescription) => _alerts.Add(alertDescription);

        private TlsCredentials? Credentials(CertificateRequest request)
        {
            CertificateRequested = true;
            RequestedAuthorities = [.. (request.CertificateAuthorities ?? []).Select(name => name.ToString())];
            if (certificate is null)
            {
                return null;
            }

            var crypto = (BcTlsCrypto)Crypto;
            TlsCertificate[] chain =
            [
                crypto.CreateCertificate(certificate.Certificate.GetEncoded()),
                crypto.CreateCertificate(certificate.Issuer!.GetEncoded()),
            ];
            var message = TlsUtilities.IsTlsV13(m_context)
                ? new Certificate(request.GetCertificateRequestContext(), [.. chain.Select(c => new CertificateEntry(c, null))])
                : new Certificate(chain);

            // ecdsa_secp256r1_sha256 in TLS 1.3 has the same code point as (sha256, ecdsa) in TLS 1.2.
            return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(m_context), crypto, certificate.PrivateKey, message,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }

        private sealed class Authentication(Client client) : TlsAuthentication
        {
            // The test's client trusts whatever the server presents: the server's side is under test.
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) =>
                client.Credentials(certificateRequest);
        }
    }
}
