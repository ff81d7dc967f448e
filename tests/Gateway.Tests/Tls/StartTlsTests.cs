using System.Security.Authentication;
using System.Text.RegularExpressions;
using Gateway.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.Tls;

/// <summary>
/// STARTTLS against the real node with independent clients: .NET's SslStream (OpenSSL) and MailKit.
/// What the gateway decided about the client certificate is read back from the Received header
/// (SPEC R68), where sendmail's {verify} appears.
/// </summary>
public sealed partial class StartTlsTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync([.. _pki.ServerSwitches(withCrl: true)]);

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _pki.Dispose();
    }

    [Theory]
    [InlineData(null, "NO")]
    [InlineData("client", "OK")]
    [InlineData("stranger", "FAIL")]
    [InlineData("expired", "FAIL")]
    [InlineData("revoked", "FAIL")]
    public async Task MailKit_sends_over_STARTTLS_and_Received_shows_the_verdict_on_its_certificate(string? certificate, string verify)
    {
        var rcpt = $"tls-{certificate ?? "none"}@localhost";
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        if (certificate is not null)
        {
            client.ClientCertificates = [_pki.ClientCertificate(certificate)];
        }

        await client.ConnectAsync(_node.Smtp.Address.ToString(), _node.Smtp.Port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        await client.SendAsync(Message(rcpt));
        await client.DisconnectAsync(quit: true);

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, rcpt, 1));
        var received = TlsLine().Match(delivered);
        Assert.True(received.Success, delivered);
        Assert.Contains(" with ESMTPS id ", delivered, StringComparison.Ordinal);
        Assert.Equal("TLSv1.3", received.Groups["version"].Value);
        Assert.Equal(verify, received.Groups["verify"].Value);
    }

    [Fact]
    public async Task A_4_MB_message_over_TLS_arrives_intact()
    {
        // Many TLS records per read and many reads per message: the decrypted stream must be framed exactly as clear text.
        var body = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i:D6} {new string('x', 70)}\r\n"));
        var message = Message("big-tls@localhost");
        message.Body = new TextPart("plain") { Text = body };
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await client.ConnectAsync(_node.Smtp.Address.ToString(), _node.Smtp.Port, SecureSocketOptions.StartTls);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, "big-tls@localhost", 1));
        Assert.Contains("line 049999 ", delivered, StringComparison.Ordinal);
        Assert.True(delivered.Length > 4_000_000, $"{delivered.Length} bytes");
        Assert.Equal(50_000, Regex.Count(delivered, @"line \d{6} x{70}\r\n"));
    }

    [Theory]
    [InlineData(SslProtocols.Tls12, "TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384")]
    [InlineData(SslProtocols.Tls13, "TLSv1.3", "TLS_AES_256_GCM_SHA384")]
    public async Task SslStream_completes_TLS_1_2_and_1_3_with_the_ECDSA_certificate(SslProtocols protocol, string version, string cipher)
    {
        await using var smtp = await StartTlsAsync(_pki.ClientCertificate("client"), protocol);

        Assert.Equal(protocol, smtp.Tls!.SslProtocol);
        Assert.StartsWith("250-", await smtp.CommandAsync("EHLO client.example"));
        var rcpt = $"v{version.ToLowerInvariant()}@localhost";
        var id = await SendAsync(smtp, rcpt);
        var delivered = Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, rcpt, 1));
        Assert.Contains($"id {id}\r\n\t(version={version} cipher={cipher} bits=256 verify=OK)\r\n\tfor <{rcpt}>; ", delivered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task The_certificate_request_names_the_CAs_of_CACertFile_as_openssl_sees_it(string version)
    {
        // SPEC R15; openssl s_client is the judge (.NET does not show the names on Linux).
        var (_, output) = await Task.Run(() => CaOpenSsl.Run(
            "s_client", "-connect", _node.Smtp.ToString(), "-starttls", "smtp", version, "-servername", "mx.test.example"));

        Assert.Matches(@"Acceptable client certificate CA names\r?\nCN = Relay Trust CA\r?\n(Client Certificate Types|Requested Signature)", output);
    }

    [Fact]
    public async Task After_the_handshake_STARTTLS_is_no_longer_offered_and_the_client_must_say_EHLO_again()
    {
        await using var smtp = await StartTlsAsync();

        Assert.StartsWith("503 5.5.1 EHLO/HELO required after STARTTLS", await smtp.CommandAsync("MAIL FROM:<a@client.example>"));
        var ehlo = await smtp.CommandAsync("EHLO client.example");
        Assert.DoesNotContain("STARTTLS", ehlo, StringComparison.Ordinal);
        Assert.StartsWith("454 4.3.3 TLS already active", await smtp.CommandAsync("STARTTLS"));
    }

    [Fact]
    public async Task Injection_vector_1_a_command_pipelined_behind_STARTTLS_is_never_answered()
    {
        await using var smtp = await SmtpStream.ConnectAsync(_node.Smtp);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.example");

        // SPEC R82 vector 1, one TCP write.
        await smtp.SendAsync("STARTTLS\r\nRSET\r\n");
        Assert.StartsWith("220 2.0.0 Ready to start TLS", await smtp.ReadReplyAsync());
        await smtp.StartTlsAsync();

        // Had RSET run, its "250 2.0.0 Reset state" would arrive before NOOP's answer.
        Assert.Equal("250 2.0.0 Ok", await smtp.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Injection_vector_2_a_MAIL_pipelined_behind_STARTTLS_does_not_open_a_transaction()
    {
        await using var smtp = await SmtpStream.ConnectAsync(_node.Smtp);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.example");

        await smtp.SendAsync("STARTTLS\r\nMAIL FROM:<evil@x.example>\r\n");
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync());
        await smtp.StartTlsAsync();

        Assert.StartsWith("250", await smtp.CommandAsync("EHLO c.example"));
        Assert.StartsWith("503 5.5.1 Need MAIL before RCPT", await smtp.CommandAsync("RCPT TO:<a@localhost>"));
    }

    [Fact]
    public async Task A_failed_handshake_closes_the_connection_without_an_SMTP_reply()
    {
        await using var smtp = await SmtpStream.ConnectAsync(_node.Smtp);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.example");
        Assert.StartsWith("220 ", await smtp.CommandAsync("STARTTLS"));

        // Not a ClientHello: SPEC R6, the stream is in an undefined state.
        await smtp.SendAsync("EHLO this is not TLS\r\n");

        Assert.True(await smtp.ClosedWithoutReplyAsync());
    }

    private async Task<SmtpStream> StartTlsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null, SslProtocols protocols = SslProtocols.None)
    {
        var smtp = await SmtpStream.ConnectAsync(_node.Smtp);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync());
        Assert.Contains("250-STARTTLS", await smtp.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        Assert.StartsWith("220 2.0.0 Ready to start TLS", await smtp.CommandAsync("STARTTLS"));
        await smtp.StartTlsAsync(certificate, protocols);
        return smtp;
    }

    private static async Task<string> SendAsync(SmtpStream smtp, string rcpt)
    {
        Assert.StartsWith("250 ", await smtp.CommandAsync("MAIL FROM:<a@client.example>"));
        Assert.StartsWith("250 ", await smtp.CommandAsync($"RCPT TO:<{rcpt}>"));
        Assert.StartsWith("354 ", await smtp.CommandAsync("DATA"));
        var queued = await smtp.CommandAsync("Subject: tls\r\n\r\nhello\r\n.");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", queued);
        return queued!["250 2.0.0 Ok: queued as ".Length..];
    }

    private static MimeMessage Message(string rcpt)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@client.example"));
        message.To.Add(MailboxAddress.Parse(rcpt));
        message.Subject = "over TLS";
        message.Body = new TextPart("plain") { Text = "hello" };
        return message;
    }

    [GeneratedRegex(@"\r\n\t\(version=(?<version>\S+) cipher=(?<cipher>\S+) bits=(?<bits>\d+) verify=(?<verify>[A-Z]+)\)\r\n\tfor <")]
    private static partial Regex TlsLine();
}
