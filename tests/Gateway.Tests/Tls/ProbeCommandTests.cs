using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Cli;
using Gateway.Tests.Support;
using Gateway.Tls;

namespace Gateway.Tests.Tls;

/// <summary><c>gateway probe</c>, in-process, against a real gateway node and against scripted fake servers.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProbeCommandTests(ProbeCommandTests.ProbeFixture gateway) : IClassFixture<ProbeCommandTests.ProbeFixture>
{
    [Fact]
    public async Task Starttls_with_the_gateways_CA_prints_both_EHLO_replies_and_verify_OK()
    {
        var (code, output, _) = await ProbeAsync(gateway.Smtp, "--starttls", "--cafile", gateway.CaFile, "--helo", "probe.example");

        Assert.Equal(0, code);
        Assert.Contains("-> EHLO probe.example", output);
        Assert.Contains("<- 250-STARTTLS", output);
        Assert.Contains("-> STARTTLS", output);
        Assert.Contains("<- 220 ", output);
        Assert.Contains("{tls_version}=TLSv1.3", output);
        Assert.Contains("{cipher}=TLS_AES_256_GCM_SHA384", output);
        Assert.Contains("{cipher_bits}=256", output);
        Assert.Contains("{verify}=OK", output);
        Assert.Contains("{cn_subject}=mx.test.example", output);
        Assert.Contains("{cert_issuer}=/CN=Probe+20Test+20CA", output);
        Assert.Matches(@"\{cert_md5\}=([0-9A-F]{2}:){15}[0-9A-F]{2}", output);
        Assert.Contains("{server_name}=127.0.0.1", output);
        Assert.Contains("{server_addr}=127.0.0.1", output);
        Assert.Equal(2, Lines(output).Count(l => l == "-> EHLO probe.example"));
        Assert.Single(Lines(output), l => l == "<- 250-STARTTLS");
        Assert.Equal("-> QUIT", Lines(output).Last(l => l.StartsWith("->", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Starttls_with_another_CA_gives_verify_FAIL_and_still_completes()
    {
        var (code, output, _) = await ProbeAsync(gateway.Smtp, "--starttls", "--cafile", gateway.OtherCaFile);

        Assert.Equal(0, code);
        Assert.Contains("{tls_version}=TLSv1.3", output);
        Assert.Contains("{verify}=FAIL", output);
        Assert.Contains("<- 221 ", output);
    }

    [Fact]
    public async Task A_client_certificate_is_sent_when_the_gateway_asks()
    {
        var (code, output, _) = await ProbeAsync(
            gateway.Smtp, "--starttls", "--cafile", gateway.CaFile, "--cert", gateway.ClientCertFile, "--key", gateway.ClientKeyFile);

        Assert.Equal(0, code);
        Assert.Contains("=== the server asked for a client certificate; ours was sent", output);
        Assert.Contains("{verify}=OK", output);
        Assert.Contains("<- 221 ", output);
    }

    [Fact]
    public async Task Tls_on_connect_handshakes_before_the_greeting()
    {
        var (code, output, _) = await ProbeAsync(gateway.ImplicitTls, "--tls-on-connect", "--cafile", gateway.CaFile);

        var lines = Lines(output);
        Assert.Equal(0, code);
        Assert.True(
            Array.FindIndex(lines, l => l.StartsWith("=== TLS started: TLSv1.3", StringComparison.Ordinal))
            < Array.FindIndex(lines, l => l.StartsWith("<- 220 ", StringComparison.Ordinal)),
            output);
        Assert.Contains("{verify}=OK", output);
        Assert.DoesNotContain("<- 250-STARTTLS", output);
    }

    [Fact]
    public async Task Without_starttls_the_session_stays_clear_and_verify_is_NONE()
    {
        var (code, output, _) = await ProbeAsync(gateway.Smtp);

        Assert.Equal(0, code);
        Assert.Contains("=== STARTTLS is offered; add --starttls to try it", output);
        Assert.Contains("{tls_version}=\n", output);
        Assert.Contains("{verify}=NONE", output);
    }

    [Fact]
    public async Task Issue_R83_clear_text_after_the_220_is_discarded_and_never_read_as_the_EHLO_reply()
    {
        await using var server = FakeServer.Start(gateway.ServerCertificate, injectAfter220: "250 injected\r\n");

        var (code, output, _) = await ProbeAsync(server.Endpoint, "--starttls");

        Assert.Equal(0, code);
        Assert.Contains("=== discarded 14 byte(s) of clear text received after the 220", output);
        Assert.DoesNotContain("<- 250 injected", output);
        Assert.Contains("<- 250 over tls", output);
        Assert.Contains("{tls_version}=TLSv1.3", output);
        Assert.Contains("{verify}=FAIL", output);
    }

    [Fact]
    public async Task A_server_without_STARTTLS_is_reported_and_verify_is_NONE()
    {
        await using var server = FakeServer.Start(gateway.ServerCertificate, offerStartTls: false);

        var (code, output, _) = await ProbeAsync(server.Endpoint, "--starttls");

        Assert.Equal(0, code);
        Assert.Contains("=== STARTTLS was not offered by the server", output);
        Assert.DoesNotContain("-> STARTTLS", output);
        Assert.Contains("{verify}=NONE", output);
    }

    [Fact]
    public async Task A_4xx_to_STARTTLS_keeps_clear_text_with_verify_TEMP()
    {
        await using var server = FakeServer.Start(gateway.ServerCertificate, startTlsReply: "454 4.7.0 TLS not available\r\n");

        var (code, output, _) = await ProbeAsync(server.Endpoint, "--starttls");

        Assert.Equal(0, code);
        Assert.Contains("{verify}=TEMP", output);
        Assert.Contains("-> QUIT", output);
    }

    [Fact]
    public async Task A_handshake_that_fails_exits_69_with_verify_SOFTWARE()
    {
        await using var server = FakeServer.Start(gateway.ServerCertificate, answerClientHello: "HTTP/1.0 400 Bad request\r\n\r\n");

        var (code, output, error) = await ProbeAsync(server.Endpoint, "--starttls");

        Assert.Equal(69, code);
        Assert.Contains("{verify}=SOFTWARE", output);
        Assert.Contains("TLS handshake failed", error);
    }

    [Fact]
    public async Task Control_characters_from_the_server_are_shown_escaped_not_sent_to_the_terminal()
    {
        await using var server = FakeServer.Start(gateway.ServerCertificate, offerStartTls: false, greeting: "220 \u001b[2Jfake\r\n");

        var (code, output, _) = await ProbeAsync(server.Endpoint);

        Assert.Equal(0, code);
        Assert.Contains("<- 220 \\x1B[2Jfake", output);
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public async Task A_reply_the_server_never_finishes_is_shown_as_far_as_it_came_before_the_timeout()
    {
        await using var server = FakeServer.Start(gateway.ServerCertificate, offerStartTls: false, greeting: "220-fake.example\r\n");

        var (code, output, error) = await ProbeAsync(server.Endpoint, "--timeout", "1");

        Assert.Equal(69, code);
        Assert.Contains("<- 220-fake.example\n", output);
        Assert.Contains("timeout after 1s waiting for the greeting", error);
    }

    [Fact]
    public async Task A_line_that_is_no_reply_line_is_shown_and_named_with_what_the_probe_waited_for()
    {
        await using var server = FakeServer.Start(gateway.ServerCertificate, offerStartTls: false, greeting: "HTTP/1.1 400 Bad Request\r\n");

        var (code, output, error) = await ProbeAsync(server.Endpoint, "--timeout", "5");

        Assert.Equal(69, code);
        Assert.Contains("<- HTTP/1.1 400 Bad Request\n", output);
        Assert.Contains("not a reply line: \"HTTP/1.1 400 Bad Request\" while waiting for the greeting", error);
    }

    [Fact]
    public async Task A_refused_connection_exits_69_and_says_so()
    {
        var (code, _, error) = await ProbeAsync(ClosedPort());

        Assert.Equal(69, code);
        Assert.Contains("cannot connect to 127.0.0.1 port", error);
    }

    [Fact]
    public async Task A_silent_server_times_out_with_69()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        var (code, _, error) = await ProbeAsync((IPEndPoint)listener.LocalEndpoint, "--timeout", "1");

        Assert.Equal(69, code);
        Assert.Contains("timeout after 1s waiting for the greeting", error);
    }

    [Theory]
    [InlineData(new string[0], "'HOST[:PORT]'")]
    [InlineData(new[] { "127.0.0.1:25", "--starttls", "--tls-on-connect" }, "exclude each other")]
    [InlineData(new[] { "127.0.0.1:99999" }, "not a port number")]
    [InlineData(new[] { "127.0.0.1:25", "--cert", "c.pem" }, "--cert and --key go together")]
    [InlineData(new[] { "127.0.0.1:25", "--timeout", "soon" }, "--timeout must be")]
    [InlineData(new[] { "127.0.0.1:25", "--bogus" }, "'--bogus'")]
    public async Task A_bad_command_line_exits_64_and_names_the_problem(string[] args, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await GatewayCommandLine.InvokeAsync(["probe", .. args], new CommandLineConsole(output, error));

        Assert.Equal(64, code);
        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public async Task A_world_readable_key_is_refused_with_exit_78_naming_the_file()
    {
        var key = Path.Combine(gateway.Directory, "readable.key");
        File.Copy(gateway.ClientKeyFile, key, overwrite: true);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (code, output, error) = await ProbeAsync(gateway.Smtp, "--starttls", "--cert", gateway.ClientCertFile, "--key", key);

        Assert.Equal(78, code);
        Assert.Contains($"file {key} unsafe: World readable file", error);
        Assert.Empty(output);
    }

    private static async Task<(int Code, string Output, string Error)> ProbeAsync(IPEndPoint target, params string[] switches)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await GatewayCommandLine.InvokeAsync(["probe", $"{target.Address}:{target.Port}", .. switches], new CommandLineConsole(output, error));
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Lines(string output) => output.Split('\n');

    private static IPEndPoint ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return (IPEndPoint)listener.LocalEndpoint;
    }

    /// <summary>
    /// One gateway node for the class, with a CA, its server and client certificates and an unrelated CA in a
    /// 0700 temp directory (R34: the server refuses keys in group- or world-writable directories).
    /// </summary>
    public sealed class ProbeFixture : IAsyncLifetime
    {
        private TestNode _node = null!;

        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("probe-tests-").FullName;

        public string CaFile => Path.Combine(Directory, "ca.crt");

        public string OtherCaFile => Path.Combine(Directory, "other-ca.crt");

        public string ClientCertFile => Path.Combine(Directory, "client.crt");

        public string ClientKeyFile => Path.Combine(Directory, "client.key");

        public X509Certificate2 ServerCertificate { get; private set; } = null!;

        internal IPEndPoint Smtp => _node.Smtp;

        internal IPEndPoint ImplicitTls => (IPEndPoint)_node.Node.ImplicitTlsEndpoints[0];

        public async Task InitializeAsync()
        {
            var (from, until) = (DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddDays(30));
            var ca = CertificateAuthority.CreateRoot(CertificateAuthority.CommonName("Probe Test CA"), KeyKind.EcdsaP256, from, until);
            var other = CertificateAuthority.CreateRoot(CertificateAuthority.CommonName("Unrelated CA"), KeyKind.EcdsaP256, from, until);
            var server = CertificateAuthority.Issue(
                ca, CertificateAuthority.CommonName("mx.test.example"), ["mx.test.example"], CertificateUsage.Server, KeyKind.EcdsaP256, from, until);
            var client = CertificateAuthority.Issue(
                ca, CertificateAuthority.CommonName("client.test.example"), ["client.test.example"], CertificateUsage.Client, KeyKind.EcdsaP256, from, until);
            ca.WriteFiles(CaFile, Path.Combine(Directory, "ca.key"), includeChain: false);
            other.WriteFiles(OtherCaFile, Path.Combine(Directory, "other-ca.key"), includeChain: false);
            server.WriteFiles(Path.Combine(Directory, "server.crt"), Path.Combine(Directory, "server.key"));
            client.WriteFiles(ClientCertFile, ClientKeyFile);
            ServerCertificate = X509Certificate2.CreateFromPem(server.ChainPem(), server.PrivateKeyPem());
            _node = await TestNode.StartAsync(
                "--Smtp:ImplicitTlsListen:0=127.0.0.1:0",
                $"--Tls:ServerCertFile={Path.Combine(Directory, "server.crt")}",
                $"--Tls:ServerKeyFile={Path.Combine(Directory, "server.key")}",
                $"--Tls:CACertFile={CaFile}");
        }

        public async Task DisposeAsync()
        {
            await _node.DisposeAsync();
            ServerCertificate.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>A one-connection SMTP server that follows a fixed script, for behaviour the gateway never shows.</summary>
    private sealed class FakeServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _script;

        private FakeServer(TcpListener listener, Func<Stream, Task> script)
        {
            _listener = listener;
            _script = Task.Run(async () =>
            {
                using var client = await _listener.AcceptTcpClientAsync();
                await script(client.GetStream());
            });
        }

        public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

        public static FakeServer Start(
            X509Certificate2 certificate,
            bool offerStartTls = true,
            string startTlsReply = "220 2.0.0 go ahead\r\n",
            string injectAfter220 = "",
            string? answerClientHello = null,
            string greeting = "220 fake.example ESMTP\r\n")
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new FakeServer(listener, async stream =>
            {
                await Send(stream, greeting);
                await ReadLine(stream);
                await Send(stream, offerStartTls ? "250-fake.example\r\n250 STARTTLS\r\n" : "250-fake.example\r\n250 8BITMIME\r\n");
                if (!offerStartTls || await ReadLine(stream) != "STARTTLS")
                {
                    await Send(stream, "221 bye\r\n");
                    return;
                }

                // One write, so the injected bytes arrive with the 220 (R83's test vector).
                await Send(stream, startTlsReply + (startTlsReply.StartsWith("220", StringComparison.Ordinal) ? injectAfter220 : ""));
                if (!startTlsReply.StartsWith("220", StringComparison.Ordinal))
                {
                    await ReadLine(stream);
                    await Send(stream, "221 bye\r\n");
                    return;
                }

                if (answerClientHello is not null)
                {
                    await stream.ReadAtLeastAsync(new byte[16 * 1024], 5, throwOnEndOfStream: false);
                    await Send(stream, answerClientHello);
                    await ReadLine(stream);
                    return;
                }

                await using var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(certificate);
                await ReadLine(tls);
                await Send(tls, "250 over tls\r\n");
                await ReadLine(tls);
                await Send(tls, "221 bye\r\n");
            });
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _script.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or TimeoutException)
            {
                // The probe may hang up first; the assertions are about what the probe printed.
            }
        }

        private static Task Send(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

        // Byte by byte, so nothing after the line (a ClientHello) is swallowed by a reader's buffer.
        private static async Task<string> ReadLine(Stream stream)
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (await stream.ReadAsync(one) == 1 && one[0] != '\n')
            {
                line.Append((char)one[0]);
            }

            return line.ToString().TrimEnd('\r');
        }
    }
}
