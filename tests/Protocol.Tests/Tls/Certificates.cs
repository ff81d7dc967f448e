using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>Real certificates with chosen subject and issuer names, signed by one shared EC key.</summary>
internal static class Certificates
{
    private static readonly AsymmetricCipherKeyPair Key = NewKey();

    public static X509CertificateStructure Issue(X509Name subject, X509Name issuer)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(4242));
        generator.SetSubjectDN(subject);
        generator.SetIssuerDN(issuer);
        generator.SetNotBefore(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        generator.SetNotAfter(new DateTime(2036, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        generator.SetPublicKey(Key.Public);

        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", Key.Private));

        // Parse the DER again, as the TLS engine does with the peer's chain.
        return X509CertificateStructure.GetInstance(certificate.GetEncoded());
    }

    private static AsymmetricCipherKeyPair NewKey()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, new SecureRandom()));
        return generator.GenerateKeyPair();
    }
}
