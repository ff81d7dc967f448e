using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Support;
using Gateway.Tls;

namespace Gateway.Tests.Tls;

/// <summary>TLS on connect (SPEC R18), an RSA certificate, CACertPath, and the handshake deadline (R5).</summary>
public sealed class TlsListenerTests : IDisposable
{
    private readonly TestPki _pki = new(serverKey: KeyKind.Rsa2048);

    [Fact]
    public async Task An_implicit_TLS_listener_handshakes_first_and_then_greets_over_TLS()
    {
        await using var node = await TestNode.StartAsync([.. _pki.ServerSwitches(), "--Smtp:ImplicitTlsListen:0=127.0.0.1:0"]);
        using var client = new TcpClient();
        await client.ConnectAsync((System.Net.IPEndPoint)node.Node.ImplicitTlsEndpoints[0]);
        await using var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "mx.test.example",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });

        var buffer = new byte[512];
        var read = await tls.ReadAsync(buffer);

        Assert.StartsWith("220 mx.test.example ESMTP", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task An_RSA_certificate_serves_TLS_1_2_and_1_3_and_CACertPath_verifies_clients()
    {
        var caPath = Directory.CreateDirectory(Path.Combine(_pki.Directory, "certs")).FullName;
        File.Copy(_pki.CaFile, Path.Combine(caPath, "relay-trust-ca.pem"));
        string[] switches =
        [
            $"--Tls:ServerCertFile={_pki.CertFile("server")}", $"--Tls:ServerKeyFile={_pki.KeyFile("server")}", $"--Tls:CACertPath={caPath}",
        ];
        await using var node = await TestNode.StartAsync(switches);

        foreach (var protocol in new[] { System.Security.Authentication.SslProtocols.Tls12, System.Security.Authentication.SslProtocols.Tls13 })
        {
            await using var smtp = await SmtpStream.ConnectAsync(node.Smtp);
            await smtp.ReadReplyAsync();
            await smtp.CommandAsync("EHLO client.example");
            Assert.StartsWith("220 ", await smtp.CommandAsync("STARTTLS"));
            await smtp.StartTlsAsync(_pki.ClientCertificate("client"), protocol);
            Assert.Equal(protocol, smtp.Tls!.SslProtocol);
            Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));
        }
    }

    [Fact]
    public async Task A_client_that_never_starts_the_handshake_is_dropped_at_the_deadline_without_a_reply()
    {
        await using var node = await TestNode.StartAsync([.. _pki.ServerSwitches(), "--Tls:HandshakeTimeout=0.5"]);
        await using var smtp = await SmtpStream.ConnectAsync(node.Smtp);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.example");

        Assert.StartsWith("220 2.0.0 Ready to start TLS", await smtp.CommandAsync("STARTTLS"));

        Assert.True(await smtp.ClosedWithoutReplyAsync());
    }

    public void Dispose() => _pki.Dispose();
}
