using Gateway.Tls;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;

namespace Gateway.Tests.Tls;

/// <summary>Small shared pieces of the certificate tests.</summary>
internal static class CaFixtures
{
    public static readonly DateTime Now = DateTime.UtcNow;

    public static KeyKind Kind(bool rsa) => rsa ? KeyKind.Rsa2048 : KeyKind.EcdsaP256;

    public static X509Name Cn(string cn) => CertificateAuthority.CommonName(cn);

    public static IssuedCertificate Root(bool rsa) =>
        CertificateAuthority.CreateRoot(Cn(rsa ? "Test RSA Root" : "Test EC Root"), Kind(rsa), Now.AddDays(-1), Now.AddDays(365));

    public static byte[] Pkcs8(IssuedCertificate issued) => PrivateKeyInfoFactory.CreatePrivateKeyInfo(issued.PrivateKey).GetEncoded();
}
