using System.Security.Cryptography.X509Certificates;
using Gateway.Tls;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace Gateway.Tests.Support;

/// <summary>
/// A small PKI minted for one test class, in its own 0700 temporary directory: a trusted CA with a
/// server certificate for mx.test.example and client certificates (trusted, untrusted, expired,
/// revoked), written as the PEM files the gateway's Tls:* keys name.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private readonly Dictionary<string, IssuedCertificate> _issued = [];

    public TestPki(KeyKind serverKey = KeyKind.EcdsaP256)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("gateway-pki-").FullName;
        var now = DateTime.UtcNow;
        Ca = CertificateAuthority.CreateRoot(CertificateAuthority.CommonName("Relay Trust CA"), KeyKind.EcdsaP256, now.AddDays(-1), now.AddYears(1));
        var other = CertificateAuthority.CreateRoot(CertificateAuthority.CommonName("Stranger CA"), KeyKind.EcdsaP256, now.AddDays(-1), now.AddYears(1));
        Server = Leaf("server", Ca, "mx.test.example", CertificateUsage.Server, serverKey, now.AddDays(-1), now.AddYears(1));
        TrustedClient = Leaf("client", Ca, "relay1.example.com", CertificateUsage.Client, KeyKind.EcdsaP256, now.AddDays(-1), now.AddYears(1));
        UntrustedClient = Leaf("stranger", other, "stranger.example.com", CertificateUsage.Client, KeyKind.EcdsaP256, now.AddDays(-1), now.AddYears(1));
        ExpiredClient = Leaf("expired", Ca, "old.example.com", CertificateUsage.Client, KeyKind.EcdsaP256, now.AddDays(-30), now.AddDays(-1));
        RevokedClient = Leaf("revoked", Ca, "revoked.example.com", CertificateUsage.Client, KeyKind.EcdsaP256, now.AddDays(-1), now.AddYears(1));
        Ca.WriteFiles(CaFile, Path.Combine(Directory, "ca.key"), includeChain: false);
        CertificateAuthority.WriteCrl(
            CertificateAuthority.CreateCrl(Ca, [RevokedClient.Certificate.SerialNumber], now.AddHours(-1), now.AddDays(7)), CrlFile);
    }

    public string Directory { get; }

    public IssuedCertificate Ca { get; }

    public IssuedCertificate Server { get; }

    public IssuedCertificate TrustedClient { get; }

    public IssuedCertificate UntrustedClient { get; }

    public IssuedCertificate ExpiredClient { get; }

    public IssuedCertificate RevokedClient { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string CrlFile => Path.Combine(Directory, "ca.crl");

    public string CertFile(string name) => Path.Combine(Directory, name + ".crt");

    public string KeyFile(string name) => Path.Combine(Directory, name + ".key");

    /// <summary>The switches for a node that serves <c>server</c> and trusts the CA.</summary>
    public string[] ServerSwitches(bool withCrl = false) =>
    [
        $"--Tls:ServerCertFile={CertFile("server")}",
        $"--Tls:ServerKeyFile={KeyFile("server")}",
        $"--Tls:CACertFile={CaFile}",
        .. withCrl ? [$"--Tls:CRLFile={CrlFile}"] : Array.Empty<string>(),
    ];

    /// <summary>A client certificate with its key, as .NET's SslStream and MailKit want it.</summary>
    public X509Certificate2 ClientCertificate(string name)
    {
        var issued = _issued[name];
        using var ephemeral = X509Certificate2.CreateFromPem(issued.CertificatePem(), issued.PrivateKeyPem());
        // SslStream on Linux needs a key it can export to OpenSSL: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Another root CA whose subject is exactly <paramref name="subject"/> (access-map DNs, SPEC R62); trusted only once put in a CA file.</summary>
    public static IssuedCertificate CreateCa(X509Name subject)
    {
        var now = DateTime.UtcNow;
        return CertificateAuthority.CreateRoot(subject, KeyKind.EcdsaP256, now.AddDays(-1), now.AddYears(1));
    }

    /// <summary>A client certificate whose subject is exactly <paramref name="subject"/>; <see cref="ClientCertificate"/> finds it by name.</summary>
    public IssuedCertificate AddClient(string name, IssuedCertificate issuer, X509Name subject, DateTime notBefore, DateTime notAfter)
    {
        var leaf = CertificateAuthority.Issue(issuer, subject, [], CertificateUsage.Client, KeyKind.EcdsaP256, notBefore, notAfter);
        leaf.WriteFiles(CertFile(name), KeyFile(name));
        _issued[name] = leaf;
        return leaf;
    }

    /// <summary>A CA file (mode 0644, in this PKI's directory) holding <paramref name="cas"/>, for Tls:CACertFile.</summary>
    public string WriteCaFile(string name, params IssuedCertificate[] cas)
    {
        var file = Path.Combine(Directory, name);
        CertificateFileWriter.WritePublic(file, string.Concat(cas.Select(c => c.CertificatePem())), overwrite: true);
        return file;
    }

    private IssuedCertificate Leaf(string name, IssuedCertificate issuer, string cn, CertificateUsage usage, KeyKind kind, DateTime from, DateTime to)
    {
        var leaf = CertificateAuthority.Issue(issuer, CertificateAuthority.CommonName(cn), [cn], usage, kind, from, to);
        leaf.WriteFiles(CertFile(name), KeyFile(name));
        _issued[name] = leaf;
        return leaf;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
