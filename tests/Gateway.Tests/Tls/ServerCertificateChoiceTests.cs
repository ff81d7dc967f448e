using Gateway.Configuration;
using Gateway.Tests.Support;
using Gateway.Tls;

namespace Gateway.Tests.Tls;

/// <summary>
/// Which certificate and suites the server offers, judged by OpenSSL's s_client (an independent client): with an
/// ECDSA and an RSA certificate, an RSA-only client (TLS 1.2 RSA suites, or TLS 1.3 RSA-PSS signatures) gets the RSA
/// one and every other client the ECDSA one; with ECDSA alone an RSA-only client fails, as before; TLS 1.2's CBC
/// suites only with Tls:AllowCbc.
/// </summary>
public sealed class ServerCertificateChoiceTests : IDisposable
{
    private readonly TestPki _ec = new();
    private readonly TestPki _rsa = new(KeyKind.Rsa2048);

    public void Dispose()
    {
        _ec.Dispose();
        _rsa.Dispose();
    }

    private string[] Both(params string[] more) =>
    [
        $"--Tls:ServerCertFile={_ec.CertFile("server")}",
        $"--Tls:ServerKeyFile={_ec.KeyFile("server")}",
        $"--Tls:SecondServerCertFile={_rsa.CertFile("server")}",
        $"--Tls:SecondServerKeyFile={_rsa.KeyFile("server")}",
        .. more,
    ];

    [Fact]
    public async Task With_both_certificates_each_client_gets_the_one_it_can_verify_ECDSA_first()
    {
        await using var node = await TestNode.StartAsync(Both());

        var modern = SClient(node, "-tls1_3");
        Assert.Contains("Server public key is 256 bit", modern, StringComparison.Ordinal);
        Assert.Contains("Peer signature type: ECDSA", modern, StringComparison.Ordinal);

        var rsaTls12 = SClient(node, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256");
        Assert.Contains("Server public key is 2048 bit", rsaTls12, StringComparison.Ordinal);
        Assert.Contains("Cipher is ECDHE-RSA-AES256-GCM-SHA384", rsaTls12, StringComparison.Ordinal);

        var rsaTls13 = SClient(node, "-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384");
        Assert.Contains("Server public key is 2048 bit", rsaTls13, StringComparison.Ordinal);
        Assert.Contains("Peer signature type: RSA-PSS", rsaTls13, StringComparison.Ordinal);

        // A TLS 1.2 client that takes either is given ECDSA, the cheaper signature.
        var either = SClient(node, "-tls1_2");
        Assert.Contains("Server public key is 256 bit", either, StringComparison.Ordinal);
        Assert.Contains("Cipher is ECDHE-ECDSA-AES256-GCM-SHA384", either, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_ECDSA_certificate_alone_an_RSA_only_client_fails_the_handshake()
    {
        await using var node = await TestNode.StartAsync(_ec.ServerSwitches());

        var output = SClient(node, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384");

        Assert.Contains("handshake failure", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Server public key is", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CBC_suites_are_refused_unless_allowed()
    {
        const string cbc = "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256";
        await using (var aeadOnly = await TestNode.StartAsync(Both()))
        {
            var refused = SClient(aeadOnly, "-tls1_2", "-cipher", cbc);
            Assert.Contains("handshake failure", refused, StringComparison.Ordinal);
        }

        await using var allowing = await TestNode.StartAsync(Both("--Tls:AllowCbc=true"));
        var accepted = SClient(allowing, "-tls1_2", "-cipher", cbc);
        Assert.Contains("Cipher is ECDHE-ECDSA-AES128-SHA256", accepted, StringComparison.Ordinal);

        // Allowed, not preferred: a client offering both gets an AEAD suite.
        var preferred = SClient(allowing, "-tls1_2", "-cipher", cbc + ":ECDHE-ECDSA-AES128-GCM-SHA256");
        Assert.Contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", preferred, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_strong_curves_are_agreed_whatever_the_client_prefers()
    {
        await using var node = await TestNode.StartAsync(_ec.ServerSwitches());

        var weakFirst = SClient(node, "-tls1_2", "-curves", "sect163k1:secp160r1:prime256v1");
        Assert.Contains("Server Temp Key: ECDH, prime256v1", weakFirst, StringComparison.Ordinal);

        // Nothing in common: no session (BouncyCastle answers with P-256, which this client refuses).
        var weakOnly = SClient(node, "-tls1_2", "-curves", "sect163k1:secp192k1");
        Assert.Contains("Cipher is (NONE)", weakOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("Server Temp Key", weakOnly, StringComparison.Ordinal);

        var tls13 = SClient(node, "-tls1_3", "-curves", "X448:X25519");
        Assert.Contains("Server Temp Key: X25519", tls13, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_certificate_of_the_same_key_type_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync(
            $"--Tls:ServerCertFile={_ec.CertFile("server")}",
            $"--Tls:ServerKeyFile={_ec.KeyFile("server")}",
            $"--Tls:SecondServerCertFile={_ec.CertFile("server")}",
            $"--Tls:SecondServerKeyFile={_ec.KeyFile("server")}"));

        Assert.Equal("Tls:SecondServerCertFile", error.Key);
        Assert.Contains("the second certificate must have the other key type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_key_that_is_not_its_certificate_s_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync(
            $"--Tls:ServerCertFile={_ec.CertFile("server")}",
            $"--Tls:ServerKeyFile={_ec.KeyFile("server")}",
            $"--Tls:SecondServerCertFile={_rsa.CertFile("server")}",
            $"--Tls:SecondServerKeyFile={_ec.KeyFile("client")}"));

        Assert.Equal("Tls:SecondServerKeyFile", error.Key);
        Assert.Contains("the key does not match the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_certificate_without_a_first_is_refused() =>
        Assert.Equal("Tls:SecondServerCertFile", Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(
            null, [$"--Tls:SecondServerCertFile={_rsa.CertFile("server")}", $"--Tls:SecondServerKeyFile={_rsa.KeyFile("server")}"])).Key);

    private static string SClient(TestNode node, params string[] options) => CaOpenSsl.StartTls(node.Smtp, options);
}
