using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1;
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

/// <summary>What the server and client engines share (TlsEngineCore, TlsSigning), seen through both engines in memory.</summary>
public sealed class TlsEngineCoreTests
{
    private static readonly SecureRandom Random = new();
    private static readonly BcTlsCrypto Crypto = new(Random);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_server_key_on_P384_signs_with_the_hash_of_its_curve_and_the_handshake_completes(bool tls12Only)
    {
        // RFC 8446 §4.2.3: in TLS 1.3 the scheme names the curve; the server used to pick SHA-256 for any EC key.
        var (server, client) = Engines(SecObjectIdentifiers.SecP384r1, tls12Only);

        EnginePump.Run(client, server);

        Assert.True(server.Established, server.FailureReason);
        Assert.True(client.Established, client.FailureReason);
        Assert.Equal(tls12Only ? "TLSv1.2" : "TLSv1.3", server.Facts.Version);
    }

    [Fact]
    public void Data_in_both_directions_arrives_as_written_after_the_handshake()
    {
        var (server, client) = Engines(SecObjectIdentifiers.SecP256r1, tls12Only: false);
        EnginePump.Run(client, server);

        client.Write("EHLO client.example.test\r\n"u8);
        var up = client.TakeOutput();
        server.Offer(up, 0, up.Length);
        server.Write("250 mx.example.test\r\n"u8);
        var down = server.TakeOutput();
        client.Offer(down, 0, down.Length);

        Assert.Equal("EHLO client.example.test\r\n"u8.ToArray(), server.TakePlaintext());
        Assert.Equal("250 mx.example.test\r\n"u8.ToArray(), client.TakePlaintext());
        Assert.Empty(server.TakePlaintext());
    }

    [Fact]
    public void A_server_fed_clear_text_fails_once_names_the_alert_and_stays_failed()
    {
        var (server, _) = Engines(SecObjectIdentifiers.SecP256r1, tls12Only: false);
        var smtp = "EHLO client.example.test\r\n"u8.ToArray();

        var first = server.Offer(smtp, 0, smtp.Length);
        var second = server.Offer(smtp, 0, smtp.Length);

        Assert.Equal(TlsProgress.Failed, first);
        Assert.Equal(TlsProgress.Failed, second);
        Assert.False(server.Established);
        Assert.StartsWith("raised fatal(2) unexpected_message(10)", server.FailureReason, StringComparison.Ordinal);
        Assert.Equal(TlsFacts.None, server.Facts);
    }

    [Fact]
    public void Close_sends_close_notify_and_the_other_side_sees_the_session_closed()
    {
        var (server, client) = Engines(SecObjectIdentifiers.SecP256r1, tls12Only: false);
        EnginePump.Run(client, server);

        server.Close();
        var down = server.TakeOutput();
        var progress = client.Offer(down, 0, down.Length);

        Assert.Equal(TlsProgress.Closed, progress);
        Assert.True(client.Closed);
        Assert.Throws<InvalidOperationException>(() => client.Write("QUIT\r\n"u8));
    }

    private static (TlsServerEngine Server, TlsClientEngine Client) Engines(DerObjectIdentifier curve, bool tls12Only)
    {
        var key = NewKey(curve);
        var certificate = SelfSigned(key);
        var server = new TlsServerEngine(new TlsServerOptions(
            new ServerCredentials([X509CertificateStructure.GetInstance(certificate.GetEncoded())], key.Private),
            [], PeerVerifier.TrustNothing(TimeProvider.System), RequestClientCertificate: false, DnFormat.OpenSsl3, Crypto));
        var client = new TlsClientEngine(
            new TlsClientOptions("mx.example.test", null, new PeerVerifier([certificate], [], TimeProvider.System), DnFormat.OpenSsl3, Crypto)
            {
                Versions = tls12Only ? ProtocolVersion.TLSv12.Only() : ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12),
            });
        return (server, client);
    }

    private static AsymmetricCipherKeyPair NewKey(DerObjectIdentifier curve)
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(curve, Random));
        return generator.GenerateKeyPair();
    }

    private static X509Certificate SelfSigned(AsymmetricCipherKeyPair key)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ProbablePrime(64, Random));
        generator.SetIssuerDN(new X509Name("CN=mx.example.test"));
        generator.SetSubjectDN(new X509Name("CN=mx.example.test"));
        generator.SetNotBefore(DateTime.UtcNow.AddHours(-1));
        generator.SetNotAfter(DateTime.UtcNow.AddDays(30));
        generator.SetPublicKey(key.Public);
        return generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key.Private, Random));
    }
}
