using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Gateway.Tls;

internal static partial class CertificateAuthority
{
    /// <summary>
    /// A v2 CRL signed by <paramref name="ca"/> listing <paramref name="revokedSerials"/>, revoked at
    /// <paramref name="thisUpdate"/>. RFC 5280 §5.2.3 wants a CRL number that only grows: by default it
    /// is <paramref name="thisUpdate"/> in seconds since 1970, so a later CRL always has a larger one.
    /// </summary>
    public static X509Crl CreateCrl(
        IssuedCertificate ca,
        IEnumerable<BigInteger> revokedSerials,
        DateTime thisUpdate,
        DateTime nextUpdate,
        BigInteger? crlNumber = null,
        SecureRandom? random = null)
    {
        if (ca.Certificate.GetBasicConstraints() < 0)
        {
            throw new ArgumentException($"{ca.Certificate.SubjectDN} is not a CA certificate", nameof(ca));
        }

        var (from, to) = (WholeSecondsUtc(thisUpdate), WholeSecondsUtc(nextUpdate));
        if (to <= from)
        {
            throw new ArgumentException($"nextUpdate {to:O} is not after thisUpdate {from:O}", nameof(nextUpdate));
        }

        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(ca.Certificate.SubjectDN);
        generator.SetThisUpdate(from);
        generator.SetNextUpdate(to);
        foreach (var serial in revokedSerials)
        {
            // Reason 0 (unspecified) is left out of the entry, as RFC 5280 §5.3.1 asks.
            generator.AddCrlEntry(serial, from, CrlReason.Unspecified);
        }

        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, critical: false, new AuthorityKeyIdentifier(KeyIdentifier(ca.Certificate)));
        var number = crlNumber ?? BigInteger.ValueOf(new DateTimeOffset(from).ToUnixTimeSeconds());
        generator.AddExtension(X509Extensions.CrlNumber, critical: false, new CrlNumber(number));
        return generator.Generate(SignatureFactory(ca.PrivateKey, random ?? new SecureRandom()));
    }

    /// <summary>The CRL as one PEM block (<c>-----BEGIN X509 CRL-----</c>), the form CRLFile holds.</summary>
    public static string CrlPem(X509Crl crl)
    {
        using var text = new StringWriter();
        text.NewLine = "\n";
        var writer = new PemWriter(text);
        writer.WriteObject(crl);
        writer.Writer.Flush();
        return text.ToString();
    }

    /// <summary>Writes <see cref="CrlPem"/> to <paramref name="path"/> with mode 0644, atomically.</summary>
    public static void WriteCrl(X509Crl crl, string path) => CertificateFileWriter.WritePublic(path, CrlPem(crl), overwrite: true);
}
