using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Gateway.Tls;

/// <summary>
/// Mints roots, intermediates, server and client certificates and CRLs with BouncyCastle: the
/// "create your own CA" tool behind <c>gateway ca</c>, and the fixtures of the TLS tests.
/// Subjects are taken as the caller built them and never re-parsed, so their DER survives byte for byte.
/// </summary>
internal static partial class CertificateAuthority
{
    /// <summary>A self-signed CA: BasicConstraints cA (critical), KeyUsage keyCertSign|cRLSign, SKI.</summary>
    public static IssuedCertificate CreateRoot(X509Name subject, KeyKind kind, DateTime notBefore, DateTime notAfter, SecureRandom? random = null)
    {
        random ??= new SecureRandom();
        var keys = GenerateKeyPair(kind, random);
        var generator = Generator(subject, subject, keys.Public, notBefore, notAfter, random);
        generator.AddExtension(X509Extensions.BasicConstraints, critical: true, new BasicConstraints(cA: true));
        generator.AddExtension(X509Extensions.KeyUsage, critical: true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        var certificate = generator.Generate(SignatureFactory(keys.Private, random));
        return new IssuedCertificate(certificate, keys.Private, []);
    }

    /// <summary>A CA signed by <paramref name="issuer"/> that may sign leaves only (pathLenConstraint 0).</summary>
    public static IssuedCertificate CreateIntermediate(
        IssuedCertificate issuer, X509Name subject, KeyKind kind, DateTime notBefore, DateTime notAfter, SecureRandom? random = null)
    {
        random ??= new SecureRandom();
        var keys = GenerateKeyPair(kind, random);
        var generator = SignedBy(issuer, subject, keys.Public, notBefore, notAfter, random);
        generator.AddExtension(X509Extensions.BasicConstraints, critical: true, new BasicConstraints(pathLenConstraint: 0));
        generator.AddExtension(X509Extensions.KeyUsage, critical: true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        return Finish(issuer, generator, keys.Private, random);
    }

    /// <summary>
    /// A leaf for a TLS server and/or client. An entry of <paramref name="dnsNames"/> that is an IP
    /// address literal becomes an iPAddress name, since a dNSName may not hold one (RFC 5280 §4.2.1.6).
    /// </summary>
    public static IssuedCertificate Issue(
        IssuedCertificate issuer,
        X509Name subject,
        IReadOnlyList<string> dnsNames,
        CertificateUsage usage,
        KeyKind kind,
        DateTime notBefore,
        DateTime notAfter,
        SecureRandom? random = null)
    {
        random ??= new SecureRandom();
        var keys = GenerateKeyPair(kind, random);
        var generator = SignedBy(issuer, subject, keys.Public, notBefore, notAfter, random);
        AddLeafExtensions(generator, dnsNames, usage, kind);
        return Finish(issuer, generator, keys.Private, random);
    }

    /// <summary>
    /// The gateway's default server certificate when none is configured: CN and SAN are the hostname,
    /// usable as server and as client (SPEC R31 allows one pair for both roles).
    /// </summary>
    public static IssuedCertificate SelfSigned(string hostname, KeyKind kind, DateTime notBefore, DateTime notAfter, SecureRandom? random = null)
    {
        random ??= new SecureRandom();
        var keys = GenerateKeyPair(kind, random);
        var subject = CommonName(hostname);
        var generator = Generator(subject, subject, keys.Public, notBefore, notAfter, random);
        AddLeafExtensions(generator, [hostname], CertificateUsage.Server | CertificateUsage.Client, kind);
        var certificate = generator.Generate(SignatureFactory(keys.Private, random));
        return new IssuedCertificate(certificate, keys.Private, []);
    }

    /// <summary>
    /// A name with the single attribute CN, encoded as UTF8String (RFC 5280 §4.1.2.6) from the Asn1 pieces,
    /// so no DN string syntax (commas, plus signs, quotes) is interpreted in <paramref name="commonName"/>.
    /// </summary>
    public static X509Name CommonName(string commonName) =>
        X509Name.GetInstance(new DerSequence(new DerSet(new AttributeTypeAndValue(X509Name.CN, new DerUtf8String(commonName)))));

    private static void AddLeafExtensions(X509V3CertificateGenerator generator, IReadOnlyList<string> names, CertificateUsage usage, KeyKind kind)
    {
        if ((usage & (CertificateUsage.Server | CertificateUsage.Client)) == 0)
        {
            throw new ArgumentException("a leaf needs server or client usage", nameof(usage));
        }

        generator.AddExtension(X509Extensions.BasicConstraints, critical: true, new BasicConstraints(cA: false));

        // RSA key exchange (TLS 1.2 RSA suites) encrypts the premaster secret to the key; ECDSA keys only sign.
        var keyUsage = kind == KeyKind.Rsa2048 ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment : KeyUsage.DigitalSignature;
        generator.AddExtension(X509Extensions.KeyUsage, critical: true, new KeyUsage(keyUsage));

        var purposes = new List<KeyPurposeID>();
        if (usage.HasFlag(CertificateUsage.Server))
        {
            purposes.Add(KeyPurposeID.id_kp_serverAuth);
        }

        if (usage.HasFlag(CertificateUsage.Client))
        {
            purposes.Add(KeyPurposeID.id_kp_clientAuth);
        }

        generator.AddExtension(X509Extensions.ExtendedKeyUsage, critical: false, new ExtendedKeyUsage([.. purposes]));
        if (names.Count > 0)
        {
            var generalNames = names.Select(AlternativeName).ToArray();
            generator.AddExtension(X509Extensions.SubjectAlternativeName, critical: false, new GeneralNames(generalNames));
        }
    }

    private static GeneralName AlternativeName(string name)
    {
        if (IsIpLiteral(name))
        {
            return new GeneralName(GeneralName.IPAddress, new DerOctetString(IPAddress.Parse(name).GetAddressBytes()));
        }

        // dNSName is an IA5String (RFC 5280 §4.2.1.6); an internationalised name must arrive as A-labels.
        if (name.Length == 0 || !name.All(char.IsAscii))
        {
            throw new ArgumentException($"'{name}' is not an ASCII DNS name (use the xn-- form)", nameof(name));
        }

        return new GeneralName(GeneralName.DnsName, name);
    }

    /// <summary>Whether a SAN entry is an IP address: a full dotted quad or an IPv6 literal (IPAddress.TryParse alone also takes "1" or "010.1").</summary>
    public static bool IsIpLiteral(string name) =>
        IPAddress.TryParse(name, out var address) && (address.AddressFamily == AddressFamily.InterNetworkV6
            ? name.Contains(':', StringComparison.Ordinal)
            : name.Count(c => c == '.') == 3 && name.All(c => c == '.' || char.IsAsciiDigit(c)));

    private static X509V3CertificateGenerator SignedBy(
        IssuedCertificate issuer, X509Name subject, AsymmetricKeyParameter publicKey, DateTime notBefore, DateTime notAfter, SecureRandom random)
    {
        if (issuer.Certificate.GetBasicConstraints() < 0)
        {
            throw new ArgumentException($"{issuer.Certificate.SubjectDN} is not a CA certificate", nameof(issuer));
        }

        // The issuer name is the CA's subject exactly as encoded in its certificate: chain building compares names.
        var generator = Generator(issuer.Certificate.SubjectDN, subject, publicKey, notBefore, notAfter, random);
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, critical: false, new AuthorityKeyIdentifier(KeyIdentifier(issuer.Certificate)));
        return generator;
    }

    private static IssuedCertificate Finish(IssuedCertificate issuer, X509V3CertificateGenerator generator, AsymmetricKeyParameter privateKey, SecureRandom random)
    {
        var certificate = generator.Generate(SignatureFactory(issuer.PrivateKey, random));
        return new IssuedCertificate(certificate, privateKey, [issuer.Certificate, .. issuer.Chain]);
    }

    private static X509V3CertificateGenerator Generator(
        X509Name issuer, X509Name subject, AsymmetricKeyParameter publicKey, DateTime notBefore, DateTime notAfter, SecureRandom random)
    {
        var (from, to) = (WholeSecondsUtc(notBefore), WholeSecondsUtc(notAfter));
        if (to <= from)
        {
            throw new ArgumentException($"notAfter {to:O} is not after notBefore {from:O}", nameof(notAfter));
        }

        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(NewSerialNumber(random));
        generator.SetIssuerDN(issuer);
        generator.SetSubjectDN(subject);
        generator.SetNotBefore(from);
        generator.SetNotAfter(to);
        generator.SetPublicKey(publicKey);
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, critical: false, SubjectKeyIdentifierFor(publicKey));
        return generator;
    }

    // RFC 5280 §4.1.2.5: validity is in whole seconds, in UTC. Unspecified kinds are taken as UTC, not local time.
    private static DateTime WholeSecondsUtc(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    // RFC 5280 §4.1.2.2: positive, at most 20 octets; CA/B Forum asks for at least 64 random bits. 127 bits here.
    private static BigInteger NewSerialNumber(SecureRandom random)
    {
        BigInteger serial;
        do
        {
            serial = new BigInteger(127, random);
        }
        while (serial.SignValue == 0);

        return serial;
    }

    private static SubjectKeyIdentifier SubjectKeyIdentifierFor(AsymmetricKeyParameter publicKey) =>
        X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey);

    /// <summary>The CA's own SKI when it has one (it may come from another tool), else the RFC 5280 §4.2.1.2 SHA-1 of its key.</summary>
    private static byte[] KeyIdentifier(X509Certificate ca)
    {
        var extension = ca.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
        return extension is null
            ? SubjectKeyIdentifierFor(ca.GetPublicKey()).GetKeyIdentifier()
            : SubjectKeyIdentifier.GetInstance(Asn1Object.FromByteArray(extension.GetOctets())).GetKeyIdentifier();
    }

    private static AsymmetricCipherKeyPair GenerateKeyPair(KeyKind kind, SecureRandom random)
    {
        IAsymmetricCipherKeyPairGenerator generator;
        switch (kind)
        {
            case KeyKind.EcdsaP256:
                generator = new ECKeyPairGenerator();
                // By OID, so the key carries the named curve: OpenSSL and .NET reject explicit curve parameters.
                generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetOid("P-256"), random));
                break;
            case KeyKind.Rsa2048:
                generator = new RsaKeyPairGenerator();
                generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), random, 2048, certainty: 100));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown key kind");
        }

        return generator.GenerateKeyPair();
    }

    // SHA-256 with either key; the algorithm follows the signer's key, not the subject's.
    private static Asn1SignatureFactory SignatureFactory(AsymmetricKeyParameter signingKey, SecureRandom random) =>
        new(signingKey is ECPrivateKeyParameters ? "SHA256WITHECDSA" : "SHA256WITHRSA", signingKey, random);
}
