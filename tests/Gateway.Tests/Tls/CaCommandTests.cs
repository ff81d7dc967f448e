using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Gateway.Cli;
using Gateway.Tls;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gateway.Tests.Tls;

/// <summary><c>gateway ca init</c> and <c>gateway ca issue</c> through the command class, and once through the real executable.</summary>
// File modes are part of the contract here; the gateway runs on Unix only.
[UnsupportedOSPlatform("windows")]
public sealed class CaCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-ca-cli-").FullName;
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private string CaDir => Path.Combine(_dir, "ca");

    private string CertDir => Path.Combine(_dir, "certs");

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Init_then_issue_writes_an_ecdsa_server_certificate_that_openssl_verifies()
    {
        Assert.Equal(0, Run("init", "--out", CaDir, "--cn", "Example Test CA"));

        Assert.Equal(0, Run("issue", "--ca", CaDir, "--cn", "mx.example.test", "--out", CertDir));

        var (caCert, cert, key) = (Path.Combine(CaDir, "ca.crt"), Path.Combine(CertDir, "mx.example.test.crt"), Path.Combine(CertDir, "mx.example.test.key"));
        CaOpenSsl.AssertVerifies("-CAfile", caCert, "-purpose", "sslserver", "-verify_hostname", "mx.example.test", cert);
        Assert.Equal(CertificateFileWriter.PrivateMode, File.GetUnixFileMode(Path.Combine(CaDir, "ca.key")));
        Assert.Equal(CertificateFileWriter.PublicMode, File.GetUnixFileMode(caCert));
        Assert.Equal(CertificateFileWriter.PrivateMode, File.GetUnixFileMode(key));
        Assert.Equal(CertificateFileWriter.PublicMode, File.GetUnixFileMode(cert));
        var leaf = CertificateAuthority.Load(cert, key);
        Assert.IsType<ECPrivateKeyParameters>(leaf.PrivateKey);
        Assert.Equal(["mx.example.test"], leaf.Certificate.GetSubjectAlternativeNameExtension().GetNames().Select(n => n.Name.ToString()));
        Assert.Equal([KeyPurposeID.id_kp_serverAuth.Id], leaf.Certificate.GetExtendedKeyUsage().Select(p => p.Id));
        Assert.Equal("CN=Example Test CA", leaf.Certificate.IssuerDN.ToString());
        Assert.Contains(cert, _output.ToString(), StringComparison.Ordinal);
        Assert.Contains(key, _output.ToString(), StringComparison.Ordinal);
        using var dotnet = X509Certificate2.CreateFromPem(File.ReadAllText(cert), File.ReadAllText(key));
        Assert.True(dotnet.HasPrivateKey);
    }

    [Theory]
    [InlineData("--client", false, true)]
    [InlineData("--server --client", true, true)]
    [InlineData("--server", true, false)]
    public void The_usage_switches_choose_the_purposes(string switches, bool server, bool client)
    {
        Assert.Equal(0, Run("init", "--out", CaDir));

        Assert.Equal(0, Run(["issue", "--ca", CaDir, "--cn", "relay.example.test", "--out", CertDir, .. switches.Split(' ')]));

        var (ca, cert) = (Path.Combine(CaDir, "ca.crt"), Path.Combine(CertDir, "relay.example.test.crt"));
        Assert.Equal(server, CaOpenSsl.Run("verify", "-CAfile", ca, "-purpose", "sslserver", cert).Exit == 0);
        Assert.Equal(client, CaOpenSsl.Run("verify", "-CAfile", ca, "-purpose", "sslclient", cert).Exit == 0);
    }

    [Fact]
    public void A_client_certificate_may_have_a_cn_that_is_not_a_host_name()
    {
        Assert.Equal(0, Run("init", "--out", CaDir));

        Assert.Equal(0, Run("issue", "--ca", CaDir, "--cn", "Relay Partner (Berlin)", "--client", "--out", CertDir));

        var cert = Path.Combine(CertDir, "Relay_Partner__Berlin_.crt");
        CaOpenSsl.AssertVerifies("-CAfile", Path.Combine(CaDir, "ca.crt"), "-purpose", "sslclient", cert);
        Assert.Null(CertificateAuthority.Load(cert, Path.ChangeExtension(cert, ".key")).Certificate.GetSubjectAlternativeNameExtension());
    }

    [Fact]
    public void Rsa_gives_rsa_keys_to_the_ca_and_the_leaf()
    {
        Assert.Equal(0, Run("init", "--out", CaDir, "--rsa"));

        Assert.Equal(0, Run("issue", "--ca", CaDir, "--cn", "legacy.example.test", "--san", "legacy.example.test", "--san", "127.0.0.1", "--rsa", "--out", CertDir));

        var (ca, cert) = (Path.Combine(CaDir, "ca.crt"), Path.Combine(CertDir, "legacy.example.test.crt"));
        Assert.IsType<RsaPrivateCrtKeyParameters>(CertificateAuthority.Load(ca, Path.Combine(CaDir, "ca.key")).PrivateKey);
        Assert.IsType<RsaPrivateCrtKeyParameters>(CertificateAuthority.Load(cert, Path.ChangeExtension(cert, ".key")).PrivateKey);
        CaOpenSsl.AssertVerifies("-CAfile", ca, "-purpose", "sslserver", "-verify_ip", "127.0.0.1", cert);
    }

    [Fact]
    public void A_wildcard_cn_is_the_san_and_its_file_name_loses_the_star()
    {
        Assert.Equal(0, Run("init", "--out", CaDir));

        Assert.Equal(0, Run("issue", "--ca", CaDir, "--cn", "*.mail.example.test", "--out", CertDir));

        CaOpenSsl.AssertVerifies("-CAfile", Path.Combine(CaDir, "ca.crt"), "-verify_hostname", "mx1.mail.example.test", Path.Combine(CertDir, "_.mail.example.test.crt"));
    }

    [Fact]
    public void Issue_under_an_intermediate_ca_writes_the_leaf_and_the_intermediate()
    {
        var now = DateTime.UtcNow;
        var root = CertificateAuthority.CreateRoot(CertificateAuthority.CommonName("Offline Root"), KeyKind.EcdsaP256, now.AddDays(-1), now.AddDays(3650));
        var intermediate = CertificateAuthority.CreateIntermediate(root, CertificateAuthority.CommonName("Online Issuer"), KeyKind.EcdsaP256, now.AddDays(-1), now.AddDays(365));
        Directory.CreateDirectory(CaDir);
        intermediate.WriteFiles(Path.Combine(CaDir, "ca.crt"), Path.Combine(CaDir, "ca.key"));
        var rootFile = Path.Combine(_dir, "root.crt");
        File.WriteAllText(rootFile, root.CertificatePem());

        Assert.Equal(0, Run("issue", "--ca", CaDir, "--cn", "mx.example.test", "--out", CertDir));

        var cert = Path.Combine(CertDir, "mx.example.test.crt");
        var loaded = CertificateAuthority.Load(cert, Path.ChangeExtension(cert, ".key"));
        Assert.Equal([intermediate.Certificate], loaded.Chain);
        CaOpenSsl.AssertVerifies("-CAfile", rootFile, "-untrusted", cert, "-purpose", "sslserver", cert);
    }

    [Fact]
    public void Days_sets_the_validity_and_a_leaf_never_outlives_its_ca()
    {
        Assert.Equal(0, Run("init", "--out", CaDir, "--days", "10"));

        Assert.Equal(0, Run("issue", "--ca", CaDir, "--cn", "mx.example.test", "--days", "400", "--out", CertDir));

        var ca = CertificateAuthority.Load(Path.Combine(CaDir, "ca.crt"), Path.Combine(CaDir, "ca.key")).Certificate;
        var leaf = CertificateAuthority.Load(Path.Combine(CertDir, "mx.example.test.crt"), Path.Combine(CertDir, "mx.example.test.key")).Certificate;
        Assert.InRange(ca.NotAfter - DateTime.UtcNow, TimeSpan.FromDays(9.9), TimeSpan.FromDays(10));
        Assert.Equal(ca.NotAfter, leaf.NotAfter);
    }

    [Fact]
    public void Init_refuses_to_overwrite_an_existing_key_and_names_it()
    {
        Assert.Equal(0, Run("init", "--out", CaDir));
        var key = Path.Combine(CaDir, "ca.key");
        var before = File.ReadAllText(key);

        var exit = Run("init", "--out", CaDir);

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains(key, _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(key));
    }

    [Fact]
    public void Issue_refuses_to_overwrite_an_existing_key_and_names_it()
    {
        Assert.Equal(0, Run("init", "--out", CaDir));
        Directory.CreateDirectory(CertDir);
        var key = Path.Combine(CertDir, "mx.example.test.key");
        File.WriteAllText(key, "someone's key");

        var exit = Run("issue", "--ca", CaDir, "--cn", "mx.example.test", "--out", CertDir);

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains(key, _error.ToString(), StringComparison.Ordinal);
        Assert.Equal("someone's key", File.ReadAllText(key));
        Assert.False(File.Exists(Path.Combine(CertDir, "mx.example.test.crt")));
    }

    [Fact]
    public void Issue_without_a_ca_names_the_missing_file()
    {
        var exit = Run("issue", "--ca", CaDir, "--cn", "mx.example.test", "--out", CertDir);

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains(Path.Combine(CaDir, "ca.crt"), _error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(CertDir));
    }

    [Theory]
    [InlineData("", "'init' or 'issue'")]
    [InlineData("frobnicate", "'frobnicate'")]
    [InlineData("init", "--out")]
    [InlineData("init --out", "--out")]
    [InlineData("init --out DIR --days many", "--days")]
    [InlineData("init --out DIR --days 0", "--days")]
    [InlineData("init --out DIR --rsa=yes", "--rsa")]
    [InlineData("init --out DIR --out DIR", "--out")]
    [InlineData("init --out DIR --cn 12345678901234567890123456789012345678901234567890123456789012345", "--cn")]
    [InlineData("init --out DIR stray", "'stray'")]
    [InlineData("issue --cn mx --out DIR", "--ca")]
    [InlineData("issue --ca DIR --out DIR", "--cn")]
    [InlineData("issue --ca DIR --cn mx", "--out")]
    [InlineData("issue --ca DIR --cn mx --out DIR --bogus", "--bogus")]
    [InlineData("issue --ca DIR --cn mx --out DIR --san bad_host!", "--san")]
    [InlineData("issue --ca DIR --cn mx --out DIR --san b\u00fccher.example", "--san")]
    [InlineData("issue --ca DIR --cn Partner_Relay_(Berlin) --out DIR", "--cn")]
    public void A_bad_command_line_exits_with_usage_and_names_the_switch(string commandLine, string named)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == "DIR" ? CaDir : a).ToArray();

        var exit = Run(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(named, _error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(CaDir));
    }

    [Fact]
    public void The_gateway_executable_dispatches_ca_and_lists_it_in_help()
    {
        var (exit, output) = Gateway("ca", "init", "--out", CaDir, "--cn", "Child CA");
        var (_, help) = Gateway("help");

        Assert.True(exit == 0, output);
        Assert.Contains(Path.Combine(CaDir, "ca.key"), output, StringComparison.Ordinal);
        Assert.Equal(CertificateFileWriter.PrivateMode, File.GetUnixFileMode(Path.Combine(CaDir, "ca.key")));
        Assert.Contains("ca ", help, StringComparison.Ordinal);
    }

    private int Run(params string[] args) => GatewayCommandLine.InvokeAsync(["ca", .. args], new CommandLineConsole(_output, _error)).GetAwaiter().GetResult();

    private static (int Exit, string Output) Gateway(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gateway.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the gateway");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }
}
