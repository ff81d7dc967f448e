using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace Gateway.Tls;

internal static partial class CertificateAuthority
{
    /// <summary>
    /// Reads a PEM certificate file (the first certificate is the subject, the rest its chain) and a PEM
    /// private key (PKCS#8 or the traditional EC/RSA forms), and checks that the key belongs to the
    /// certificate (SPEC R32). Problems are <see cref="InvalidDataException"/>s that name the file.
    /// </summary>
    public static IssuedCertificate Load(string certPath, string keyPath)
    {
        var certificates = ReadPem(certPath).OfType<X509Certificate>().ToList();
        if (certificates.Count == 0)
        {
            throw new InvalidDataException($"{certPath}: no PEM certificate found");
        }

        var key = ReadPem(keyPath).Select(PrivatePart).OfType<AsymmetricKeyParameter>().FirstOrDefault()
            ?? throw new InvalidDataException($"{keyPath}: no PEM private key found");
        if (!KeyMatches(certificates[0], key))
        {
            throw new InvalidDataException($"{keyPath}: the private key does not match the certificate in {certPath}");
        }

        return new IssuedCertificate(certificates[0], key, certificates[1..]);
    }

    /// <summary>Whether <paramref name="privateKey"/> is the private half of the certificate's public key.</summary>
    public static bool KeyMatches(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        switch (certificate.GetPublicKey(), privateKey)
        {
            case (ECPublicKeyParameters pub, ECPrivateKeyParameters priv):
                return pub.Parameters.Equals(priv.Parameters) && pub.Q.Equals(priv.Parameters.G.Multiply(priv.D).Normalize());
            case (RsaKeyParameters pub, RsaPrivateCrtKeyParameters priv):
                return pub.Modulus.Equals(priv.Modulus) && pub.Exponent.Equals(priv.PublicExponent);
            case (RsaKeyParameters pub, RsaKeyParameters { IsPrivate: true } priv):
                return pub.Modulus.Equals(priv.Modulus);
            default:
                return false;
        }
    }

    // Traditional "EC PRIVATE KEY" / "RSA PRIVATE KEY" blocks come back as key pairs, PKCS#8 as the key;
    // "EC PARAMETERS" blocks (openssl ecparam -genkey) and public keys are skipped.
    private static AsymmetricKeyParameter? PrivatePart(object pem) => pem switch
    {
        AsymmetricCipherKeyPair pair => pair.Private,
        AsymmetricKeyParameter { IsPrivate: true } key => key,
        _ => null,
    };

    private static List<object> ReadPem(string path)
    {
        try
        {
            using var text = File.OpenText(path);
            var reader = new PemReader(text);
            var objects = new List<object>();
            while (reader.ReadObject() is { } o)
            {
                objects.Add(o);
            }

            return objects;
        }
        catch (PasswordException)
        {
            // SPEC R32: the daemon starts unattended, so keys are stored unencrypted.
            throw new InvalidDataException($"{path}: the key is encrypted; keys must be stored unencrypted");
        }
        catch (Exception e) when (e is IOException or Org.BouncyCastle.Security.GeneralSecurityException or ArgumentException or InvalidCastException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
