using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Gateway.Actors.Tests.Support;

/// <summary>
/// A small ECDSA P-256 PKI made once per test run: a trusted CA with a server leaf, a client leaf
/// and an expired client leaf, and a second CA that the server does not trust with its own client
/// leaf. (Actors.Tests cannot use Gateway's CertificateAuthority, so this is its minimal cousin.)
/// </summary>
public static class TestCertificates
{
    private static readonly SecureRandom Random = new();
    private static readonly DateTime Now = DateTime.UtcNow;

    public static readonly Issued Ca = Root("Gateway Test CA");

    public static readonly Issued Server = Leaf(Ca, "mx.example.com", Now.AddDays(-1), Now.AddDays(30));

    public static readonly Issued Client = Leaf(Ca, "client.example", Now.AddDays(-1), Now.AddDays(30));

    public static readonly Issued ExpiredClient = Leaf(Ca, "expired.example", Now.AddDays(-30), Now.AddDays(-1));

    public static readonly Issued OtherCa = Root("Untrusted Test CA");

    public static readonly Issued UntrustedClient = Leaf(OtherCa, "stranger.example", Now.AddDays(-1), Now.AddDays(30));

    /// <summary>
    /// The server side as Gateway builds it: the server leaf and the CA as its chain, the CA's name
    /// in the CertificateRequest (SPEC R15), and a verifier that trusts only the CA.
    /// </summary>
    public static TlsServerOptions ServerOptions(bool requestClientCertificate) => new(
        new ServerCredentials([Structure(Server.Certificate), Structure(Ca.Certificate)], Server.PrivateKey),
        [Ca.Certificate.SubjectDN],
        new PeerVerifier([Ca.Certificate], [], TimeProvider.System),
        requestClientCertificate,
        DnFormat.OpenSsl3,
        new BcTlsCrypto(new SecureRandom()));

    private static X509CertificateStructure Structure(X509Certificate certificate) =>
        X509CertificateStructure.GetInstance(certificate.GetEncoded());

    private static Issued Root(string commonName)
    {
        var keys = NewKey();
        var name = new X509Name($"CN={commonName}");
        var generator = Generator(name, name, keys.Public, Now.AddDays(-2), Now.AddDays(365));
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(cA: true));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keys.Private, Random));
        return new Issued(certificate, keys.Private, null);
    }

    private static Issued Leaf(Issued issuer, string commonName, DateTime notBefore, DateTime notAfter)
    {
        var keys = NewKey();
        var generator = Generator(issuer.Certificate.SubjectDN, new X509Name($"CN={commonName}"), keys.Public, notBefore, notAfter);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(cA: false));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", issuer.PrivateKey, Random));
        return new Issued(certificate, keys.Private, issuer.Certificate);
    }

    private static X509V3CertificateGenerator Generator(
        X509Name issuer, X509Name subject, AsymmetricKeyParameter publicKey, DateTime notBefore, DateTime notAfter)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(64, Random).Add(BigInteger.One));
        generator.SetIssuerDN(issuer);
        generator.SetSubjectDN(subject);
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notAfter);
        generator.SetPublicKey(publicKey);
        return generator;
    }

    // A named curve (not explicit parameters), which is what TLS peers accept.
    private static AsymmetricCipherKeyPair NewKey()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, Random));
        return generator.GenerateKeyPair();
    }

    /// <summary>A certificate, its private key, and the certificate of the CA that signed it (null for a root).</summary>
    public sealed record Issued(X509Certificate Certificate, AsymmetricKeyParameter PrivateKey, X509Certificate? Issuer);
}
