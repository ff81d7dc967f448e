using System.Text;
using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>The client engine against the server engine (and a bare BouncyCastle server), in memory.</summary>
public sealed class TlsClientEngineTests
{
    private static readonly BcTlsCrypto SharedCrypto = new(new SecureRandom());
    private static readonly Pki Trusted = new("Test Root CA", rsa: false);
    private static readonly Pki Other = new("Other Root CA", rsa: false);
    private static readonly Pki RsaPki = new("Test RSA Root CA", rsa: true);

    [Theory]
    [InlineData(false, false, "TLSv1.3", "TLS_AES_256_GCM_SHA384")]
    [InlineData(false, true, "TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384")]
    [InlineData(true, false, "TLSv1.3", "TLS_AES_256_GCM_SHA384")]
    [InlineData(true, true, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384")]
    public void The_handshake_completes_and_the_facts_describe_the_server_certificate(bool rsa, bool tls12Only, string version, string cipher)
    {
        var pki = rsa ? RsaPki : Trusted;
        var server = new TlsServerEngine(ServerOptions(pki, request: false, trust: pki));
        var client = new TlsClientEngine(ClientOptions(pki, tls12Only: tls12Only));

        Pump(client, server);

        Assert.True(client.Established, client.FailureReason);
        Assert.True(server.Established, server.FailureReason);
        Assert.Equal(version, client.Facts.Version);
        Assert.Equal(cipher, client.Facts.Cipher);
        Assert.Equal(256, client.Facts.CipherBits);
        Assert.Equal("OK", client.Facts.Verify);
        Assert.Equal("/CN=mx.example.test", client.Facts.CertSubject);
        Assert.Equal($"/CN={pki.Name.Replace(" ", "+20", StringComparison.Ordinal)}", client.Facts.CertIssuer);
        Assert.Equal("mx.example.test", client.Facts.CnSubject);
        Assert.Equal(Fingerprint.Of(pki.ServerLeaf.GetEncoded()), client.Facts.CertMd5);
    }

    [Fact]
    public void A_server_certificate_from_an_untrusted_CA_gives_FAIL_and_the_session_still_opens()
    {
        var server = new TlsServerEngine(ServerOptions(Trusted, request: false, trust: Trusted));
        var client = new TlsClientEngine(ClientOptions(Other));

        Pump(client, server);

        Assert.True(client.Established, client.FailureReason);
        Assert.Equal("FAIL", client.Facts.Verify);
        Assert.NotEmpty(client.VerifyReason);
        Assert.Equal("mx.example.test", client.Facts.CnSubject);
    }

    [Fact]
    public void A_server_that_sends_no_certificate_gives_NO()
    {
        var server = new AnonymousServer();
        var client = new TlsClientEngine(ClientOptions(Trusted) with { OfferAnonymous = true });

        Pump(client, server.Protocol);

        Assert.True(client.Established, client.FailureReason);
        Assert.Equal("TLSv1.2", client.Facts.Version);
        Assert.Equal("NO", client.Facts.Verify);
        Assert.Equal("", client.Facts.CertSubject);
        Assert.Empty(client.PeerChain);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_client_certificate_reaches_the_server_which_verifies_it_OK(bool rsaClient, bool tls12Only)
    {
        var clientPki = rsaClient ? RsaPki : Trusted;
        var server = new TlsServerEngine(ServerOptions(Trusted, request: true, trust: clientPki));
        var client = new TlsClientEngine(ClientOptions(Trusted, tls12Only: tls12Only) with { Credentials = clientPki.ClientCredentials });

        Pump(client, server);

        Assert.True(server.Established, server.FailureReason);
        Assert.True(client.ClientCertificateRequested);
        Assert.True(client.ClientCertificateSent, client.ClientCertificateNote);
        Assert.Equal("OK", server.Facts.Verify);
        Assert.Equal("/CN=client.example.test", server.Facts.CertSubject);
        Assert.Equal("OK", client.Facts.Verify);
    }

    [Fact]
    public void Without_credentials_the_client_answers_a_certificate_request_with_none_and_the_server_says_NO()
    {
        var server = new TlsServerEngine(ServerOptions(Trusted, request: true, trust: Trusted));
        var client = new TlsClientEngine(ClientOptions(Trusted));

        Pump(client, server);

        Assert.True(server.Established, server.FailureReason);
        Assert.True(client.ClientCertificateRequested);
        Assert.False(client.ClientCertificateSent);
        Assert.Equal("NO", server.Facts.Verify);
    }

    [Theory]
    [InlineData("mx.example.test.", "mx.example.test")]
    [InlineData("192.0.2.25", null)]
    [InlineData("[2001:db8::25]", null)]
    [InlineData(null, null)]
    public void SNI_carries_the_host_name_and_never_an_address_literal(string? host, string? expected)
    {
        var server = new AnonymousServer();
        var client = new TlsClientEngine(ClientOptions(Trusted) with { ServerName = host, OfferAnonymous = true });

        Pump(client, server.Protocol);

        Assert.True(client.Established, client.FailureReason);
        Assert.Equal(expected, client.ServerNameSent);
        Assert.Equal(expected, server.Sni);
    }

    [Fact]
    public void Commands_and_replies_cross_the_session_in_both_directions()
    {
        var server = new TlsServerEngine(ServerOptions(Trusted, request: false, trust: Trusted));
        var client = new TlsClientEngine(ClientOptions(Trusted));
        Pump(client, server);

        client.Write("EHLO client.example\r\n"u8);
        Pump(client, server);
        server.Write("250 mx.example.test\r\n"u8);
        Pump(client, server);

        Assert.Equal("EHLO client.example\r\n", Encoding.ASCII.GetString(server.TakePlaintext()));
        Assert.Equal("250 mx.example.test\r\n", Encoding.ASCII.GetString(client.TakePlaintext()));
    }

    [Fact]
    public void A_close_notify_in_the_read_that_completes_the_handshake_reports_Closed_with_the_facts()
    {
        var server = new AnonymousServer();
        var client = new TlsClientEngine(ClientOptions(Trusted) with { OfferAnonymous = true });
        server.Protocol.OfferInput(client.TakeOutput());
        var flight = Drain(server.Protocol);
        client.Offer(flight, 0, flight.Length);
        server.Protocol.OfferInput(client.TakeOutput());
        server.Protocol.Close();
        var finishedAndClose = Drain(server.Protocol);

        var progress = client.Offer(finishedAndClose, 0, finishedAndClose.Length);

        Assert.Equal(TlsProgress.Closed, progress);
        Assert.True(client.Closed);
        Assert.Equal("TLSv1.2", client.Facts.Version);
        Assert.Equal("TLS session is not open", Assert.Throws<InvalidOperationException>(() => client.Write("QUIT\r\n"u8)).Message);
    }

    [Fact]
    public void Clear_text_where_the_handshake_should_be_fails_with_SOFTWARE()
    {
        var client = new TlsClientEngine(ClientOptions(Trusted));
        var reply = "250 injected\r\n"u8.ToArray();

        var progress = client.Offer(reply, 0, reply.Length);

        Assert.Equal(TlsProgress.Failed, progress);
        Assert.True(client.Failed);
        Assert.NotEmpty(client.FailureReason);
        Assert.Equal("SOFTWARE", client.Facts.Verify);
        Assert.Equal("", client.Facts.Version);
    }

    private static TlsServerOptions ServerOptions(Pki pki, bool request, Pki trust) => new(
        new ServerCredentials([X509CertificateStructure.GetInstance(pki.ServerLeaf.GetEncoded())], pki.ServerKey.Private),
        [X509Name.GetInstance(trust.Root.SubjectDN.ToAsn1Object())],
        new PeerVerifier([trust.Root], [], TimeProvider.System),
        request,
        DnFormat.OpenSsl3,
        SharedCrypto);

    private static TlsClientOptions ClientOptions(Pki trust, bool tls12Only = false) =>
        new("mx.example.test", null, new PeerVerifier([trust.Root], [], TimeProvider.System), DnFormat.OpenSsl3, SharedCrypto)
        {
            Versions = tls12Only ? ProtocolVersion.TLSv12.Only() : ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12),
        };

    private static void Pump(TlsClientEngine client, TlsServerEngine server) =>
        Pump(client, bytes => server.Offer(bytes, 0, bytes.Length), server.TakeOutput);

    private static void Pump(TlsClientEngine client, TlsServerProtocol server) =>
        Pump(client, bytes => server.OfferInput(bytes), () => Drain(server));

    private static void Pump(TlsClientEngine client, Action<byte[]> toServer, Func<byte[]> fromServer)
    {
        for (var moved = true; moved;)
        {
            var up = client.TakeOutput();
            if (up.Length > 0)
            {
                toServer(up);
            }

            var down = fromServer();
            if (down.Length > 0)
            {
                client.Offer(down, 0, down.Length);
            }

            moved = up.Length > 0 || down.Length > 0;
        }
    }

    private static byte[] Drain(TlsServerProtocol server)
    {
        var output = new byte[server.GetAvailableOutputBytes()];
        server.ReadOutput(output, 0, output.Length);
        return output;
    }

    /// <summary>A root CA with a server leaf (CN mx.example.test) and a client leaf (CN client.example.test).</summary>
    private sealed class Pki
    {
        private static readonly SecureRandom Random = new();

        public Pki(string name, bool rsa)
        {
            Name = name;
            var rootKey = NewKey(rsa);
            Root = Certificate(name, name, rootKey.Public, rootKey.Private, ca: true, rsa);
            ServerKey = NewKey(rsa);
            ServerLeaf = Certificate("mx.example.test", name, ServerKey.Public, rootKey.Private, ca: false, rsa);
            var clientKey = NewKey(rsa);
            var clientLeaf = Certificate("client.example.test", name, clientKey.Public, rootKey.Private, ca: false, rsa);
            ClientCredentials = new([X509CertificateStructure.GetInstance(clientLeaf.GetEncoded())], clientKey.Private);
        }

        public string Name { get; }

        public X509Certificate Root { get; }

        public X509Certificate ServerLeaf { get; }

        public AsymmetricCipherKeyPair ServerKey { get; }

        public TlsClientCredentials ClientCredentials { get; }

        private static AsymmetricCipherKeyPair NewKey(bool rsa)
        {
            if (rsa)
            {
                var generator = new RsaKeyPairGenerator();
                generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, 2048, 80));
                return generator.GenerateKeyPair();
            }

            var ec = new ECKeyPairGenerator();
            ec.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, Random));
            return ec.GenerateKeyPair();
        }

        private static X509Certificate Certificate(
            string subject, string issuer, AsymmetricKeyParameter publicKey, AsymmetricKeyParameter issuerKey, bool ca, bool rsa)
        {
            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(BigInteger.ProbablePrime(64, Random));
            generator.SetIssuerDN(new X509Name($"CN={issuer}"));
            generator.SetSubjectDN(new X509Name($"CN={subject}"));
            generator.SetNotBefore(DateTime.UtcNow.AddHours(-1));
            generator.SetNotAfter(DateTime.UtcNow.AddDays(30));
            generator.SetPublicKey(publicKey);
            generator.AddExtension(X509Extensions.BasicConstraints, critical: true, new BasicConstraints(ca));
            generator.AddExtension(
                X509Extensions.KeyUsage, critical: true,
                new KeyUsage(ca ? KeyUsage.KeyCertSign | KeyUsage.CrlSign : KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment));
            return generator.Generate(new Asn1SignatureFactory(rsa ? "SHA256WITHRSA" : "SHA256WITHECDSA", issuerKey, Random));
        }
    }

    /// <summary>A bare BouncyCastle server with only anonymous ECDH suites: it never sends a certificate.</summary>
    private sealed class AnonymousServer : AbstractTlsServer
    {
        public AnonymousServer()
            : base(SharedCrypto)
        {
            Protocol.Accept(this);
        }

        public TlsServerProtocol Protocol { get; } = new();

        public string? Sni { get; private set; }

        public override TlsCredentials? GetCredentials() => null;

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            Sni = m_context.SecurityParameters.ClientServerNames is [var name, ..] ? Encoding.ASCII.GetString(name.NameData) : null;
        }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => [CipherSuite.TLS_ECDH_anon_WITH_AES_128_CBC_SHA];
    }
}
