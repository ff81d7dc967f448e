using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gateway.Protocol.Tls;

/// <summary>
/// A certificate chain (leaf first, as sent in the Certificate message) and its private key, already
/// loaded and checked against each other by whoever read the files: our side's identity in TLS, as a
/// server (<see cref="ServerCredentials"/>) or as a client (<see cref="TlsClientCredentials"/>).
/// </summary>
public abstract record CertifiedKey(IReadOnlyList<X509CertificateStructure> Chain, AsymmetricKeyParameter PrivateKey)
{
    /// <summary>ECDSA keys sign with ECDSA suites and schemes; RSA keys with RSA ones (RSA-PSS in TLS 1.3).</summary>
    public bool IsEc => PrivateKey is ECPrivateKeyParameters;

    /// <summary>SPEC R32: the key must belong to the certificate, or TLS cannot work at all.</summary>
    public static bool KeyMatches(X509CertificateStructure leaf, AsymmetricKeyParameter privateKey)
    {
        var publicKey = Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(leaf.SubjectPublicKeyInfo);
        return (publicKey, privateKey) switch
        {
            (ECPublicKeyParameters pub, ECPrivateKeyParameters priv) =>
                pub.Parameters.Equals(priv.Parameters) && pub.Q.Equals(pub.Parameters.G.Multiply(priv.D).Normalize()),
            (RsaKeyParameters pub, RsaPrivateCrtKeyParameters priv) =>
                pub.Modulus.Equals(priv.Modulus) && pub.Exponent.Equals(priv.PublicExponent),
            _ => false,
        };
    }
}
