using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Gateway.Tls;
using static Gateway.Tests.Tls.CaFixtures;

namespace Gateway.Tests.Tls;

/// <summary>What CertificateAuthority writes and reads: PEM that openssl and .NET accept, key files that stay 0600.</summary>
// File modes are the point of several tests here; the gateway runs on Unix only.
[UnsupportedOSPlatform("windows")]
public sealed class CertificateAuthorityFileTests : IDisposable
{
    private static readonly DateTime Now = CaFixtures.Now;
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-ca-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_returns_what_WriteFiles_wrote(bool rsa)
    {
        var root = Root(rsa);
        var intermediate = CertificateAuthority.CreateIntermediate(root, Cn("Issuing"), Kind(rsa), Now.AddMinutes(-5), Now.AddDays(30));
        var leaf = CertificateAuthority.Issue(intermediate, Cn("mx"), ["mx"], CertificateUsage.Server, Kind(rsa), Now.AddMinutes(-5), Now.AddDays(30));
        var (cert, key) = (Path.Combine(_dir, "mx.crt"), Path.Combine(_dir, "mx.key"));
        leaf.WriteFiles(cert, key);

        var loaded = CertificateAuthority.Load(cert, key);

        Assert.Equal(leaf.Certificate, loaded.Certificate);
        Assert.Equal([intermediate.Certificate], loaded.Chain);
        Assert.Equal(Pkcs8(leaf), Pkcs8(loaded));
        Assert.Equal(leaf.PrivateKeyPem(), loaded.PrivateKeyPem());
    }

    [Theory]
    [InlineData(false, "ec", "EC PRIVATE KEY")]         // openssl 3 ec writes the traditional form by default
    [InlineData(true, "rsa -traditional", "RSA PRIVATE KEY")]
    public void Load_reads_a_traditional_openssl_key(bool rsa, string command, string label)
    {
        var root = Root(rsa);
        var (cert, key, traditional) = (Path.Combine(_dir, "ca.crt"), Path.Combine(_dir, "ca.key"), Path.Combine(_dir, "traditional.key"));
        root.WriteFiles(cert, key);
        Assert.Equal(0, CaOpenSsl.Run([.. command.Split(' '), "-in", key, "-out", traditional]).Exit);
        Assert.Contains($"BEGIN {label}", File.ReadAllText(traditional), StringComparison.Ordinal);

        var loaded = CertificateAuthority.Load(cert, traditional);

        Assert.Equal(Pkcs8(root), Pkcs8(loaded));
    }

    [Fact]
    public void Load_refuses_a_key_that_belongs_to_another_certificate_and_names_the_file()
    {
        var (one, other) = (Root(rsa: false), Root(rsa: false));
        var (cert, key) = (Path.Combine(_dir, "one.crt"), Path.Combine(_dir, "other.key"));
        one.WriteFiles(cert, Path.Combine(_dir, "one.key"));
        other.WriteFiles(Path.Combine(_dir, "other.crt"), key);

        var error = Assert.Throws<InvalidDataException>(() => CertificateAuthority.Load(cert, key));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_refuses_an_encrypted_key()
    {
        var root = Root(rsa: false);
        var (cert, key, encrypted) = (Path.Combine(_dir, "ca.crt"), Path.Combine(_dir, "ca.key"), Path.Combine(_dir, "encrypted.key"));
        root.WriteFiles(cert, key);
        Assert.Equal(0, CaOpenSsl.Run("pkcs8", "-topk8", "-in", key, "-v2", "aes-256-cbc", "-passout", "pass:secret", "-out", encrypted).Exit);

        var error = Assert.Throws<InvalidDataException>(() => CertificateAuthority.Load(cert, encrypted));

        Assert.Contains(encrypted, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFiles_gives_the_key_mode_0600_and_the_certificate_0644()
    {
        var root = Root(rsa: false);
        var (cert, key) = (Path.Combine(_dir, "ca.crt"), Path.Combine(_dir, "ca.key"));

        root.WriteFiles(cert, key);

        Assert.Equal(CertificateFileWriter.PrivateMode, File.GetUnixFileMode(key));
        Assert.Equal(CertificateFileWriter.PublicMode, File.GetUnixFileMode(cert));
        Assert.Equal([cert, key], Directory.GetFiles(_dir).Order());   // no temporary files left behind
    }

    [Fact]
    public void WriteFiles_over_a_world_readable_key_file_leaves_a_0600_key()
    {
        var root = Root(rsa: false);
        var (cert, key) = (Path.Combine(_dir, "ca.crt"), Path.Combine(_dir, "ca.key"));
        File.WriteAllText(key, "old");
        File.SetUnixFileMode(key, CertificateFileWriter.PublicMode);

        root.WriteFiles(cert, key);

        Assert.Equal(CertificateFileWriter.PrivateMode, File.GetUnixFileMode(key));
        Assert.Equal(root.PrivateKeyPem(), File.ReadAllText(key));
    }

    [Fact]
    public void WriteFiles_without_overwrite_leaves_an_existing_key_alone()
    {
        var root = Root(rsa: false);
        var key = Path.Combine(_dir, "ca.key");
        File.WriteAllText(key, "old");

        var error = Assert.Throws<IOException>(() => root.WriteFiles(Path.Combine(_dir, "ca.crt"), key, overwrite: false));

        Assert.Equal($"{key} already exists", error.Message);

        Assert.Equal("old", File.ReadAllText(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dotnet_accepts_the_pem_output_with_its_key(bool rsa)
    {
        var root = Root(rsa);
        var leaf = CertificateAuthority.Issue(root, Cn("mx.example.test"), ["mx.example.test"], CertificateUsage.Server, Kind(rsa), Now.AddMinutes(-5), Now.AddDays(1));

        using var single = X509Certificate2.CreateFromPem(leaf.CertificatePem(), leaf.PrivateKeyPem());
        using var chained = X509Certificate2.CreateFromPem(leaf.ChainPem(), leaf.PrivateKeyPem());

        Assert.True(single.HasPrivateKey);
        Assert.Equal(leaf.Certificate.GetEncoded(), single.RawData);
        Assert.Equal(leaf.Certificate.GetEncoded(), chained.RawData);
        Assert.Equal("mx.example.test", single.GetNameInfo(X509NameType.DnsName, forIssuer: false));
    }
}
