using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Gateway.Tls;

/// <summary>A certificate with its private key and the CAs that issued it (issuer first, root last; the leaf itself excluded).</summary>
internal sealed record IssuedCertificate(X509Certificate Certificate, AsymmetricKeyParameter PrivateKey, IReadOnlyList<X509Certificate> Chain)
{
    // The private key must never reach a log line through ToString().
    public override string ToString() => $"IssuedCertificate {{ Subject = {Certificate.SubjectDN}, Serial = {Certificate.SerialNumber} }}";

    public string CertificatePem() => Pem.Write(Certificate);

    /// <summary>PKCS#8, unencrypted: the daemon starts unattended (SPEC R32), so the file mode is the key's only protection (R88).</summary>
    public string PrivateKeyPem() => Pem.Write(new Pkcs8Generator(PrivateKey));

    /// <summary>
    /// The leaf, then every intermediate CA. Self-signed roots are left out: a peer can only trust a root it
    /// already has, and RFC 8446 §4.4.2 lets the sender omit it.
    /// </summary>
    public string ChainPem() => Pem.Write([Certificate, .. Chain.Where(c => !IsSelfSigned(c))]);

    /// <summary>Writes the key (mode 0600) and the certificate (0644, with the chain unless told otherwise); each file appears atomically.</summary>
    /// <param name="overwrite">When false an existing file is left alone and <see cref="IOException"/> is thrown.</param>
    public void WriteFiles(string certPath, string keyPath, bool includeChain = true, bool overwrite = true)
    {
        CertificateFileWriter.WritePrivate(keyPath, PrivateKeyPem(), overwrite);
        CertificateFileWriter.WritePublic(certPath, includeChain ? ChainPem() : CertificatePem(), overwrite);
    }

    internal static bool IsSelfSigned(X509Certificate certificate) =>
        certificate.IssuerDN.Equivalent(certificate.SubjectDN, inOrder: true) && VerifiesWith(certificate, certificate.GetPublicKey());

    private static bool VerifiesWith(X509Certificate certificate, AsymmetricKeyParameter key)
    {
        try
        {
            certificate.Verify(key);
            return true;
        }
        catch (Exception e) when (e is GeneralSecurityException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>PEM text through BouncyCastle's writer, one block per object.</summary>
    private static class Pem
    {
        public static string Write(params object[] objects)
        {
            using var text = new StringWriter();
            text.NewLine = "\n";
            var writer = new PemWriter(text);
            foreach (var o in objects)
            {
                writer.WriteObject(o);
            }

            writer.Writer.Flush();
            return text.ToString();
        }
    }
}
