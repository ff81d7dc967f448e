using Gateway.Protocol.Replies;
using System.Text;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Tests.Support;
using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>
/// STARTTLS and implicit TLS with a real TLS client: BouncyCastle's client engine is the peer, and
/// <see cref="FakeConnection"/> carries its records to the actor and the actor's records back to it.
/// Handshake failures and timeouts are in <see cref="ConnectionActorTlsFailureTests"/>, what counts as
/// a command around the handshake in <see cref="ConnectionActorTlsBoundaryTests"/>.
/// </summary>
public sealed class ConnectionActorTlsTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private const string Transaction = "EHLO c.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n";

    [Fact]
    public async Task Ehlo_advertises_starttls_before_the_handshake_and_not_after()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered());
        await connection.ExpectReplyAsync(220);
        await connection.SendAsync("EHLO client.example\r\n");
        var before = await connection.ExpectReplyAsync(250);
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        await connection.HandshakeAsync(new TlsClientPeer(ProtocolVersion.TLSv13));

        await connection.SendAsync("EHLO client.example\r\n");

        var after = await connection.ExpectReplyAsync(250);
        Assert.Contains("STARTTLS", before.Lines);
        Assert.Equal(before.Lines.Where(line => line != "STARTTLS"), after.Lines);
    }

    [Theory]
    [InlineData("TLSv1.3")]
    [InlineData("TLSv1.2")]
    public async Task Starttls_is_answered_220_and_the_handshake_completes_with_a_client_limited_to_one_version(string version)
    {
        var peer = new TlsClientPeer(TestTls.Version(version));
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered());
        await connection.HelloAsync();

        await connection.SendAsync("STARTTLS\r\n");

        var ready = await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        Assert.Equal("220 2.0.0 Ready to start TLS\r\n", ready.Wire);
        await connection.HandshakeAsync(peer);
        Assert.Equal(TestTls.Version(version), peer.NegotiatedVersion);
        await connection.SendAsync("NOOP\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    [Fact]
    public async Task After_the_handshake_mail_before_ehlo_is_answered_503_and_ehlo_is_accepted_again()
    {
        var connection = await StartTlsAsync(new TlsClientPeer(ProtocolVersion.TLSv13));

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");

        var refused = await connection.ExpectReplyAsync(SmtpReplies.HelloAfterTls);
        Assert.Equal("503 5.5.1 EHLO/HELO required after STARTTLS\r\n", refused.Wire);
        await connection.SendAsync("EHLO client.example\r\nMAIL FROM:<a@example.net>\r\n");
        await connection.ExpectReplyAsync(250);
        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
    }

    [Fact]
    public async Task Starttls_once_tls_is_active_is_answered_454_and_the_session_goes_on()
    {
        var connection = await StartTlsAsync(new TlsClientPeer(ProtocolVersion.TLSv13));
        await connection.SendAsync("EHLO client.example\r\n");
        await connection.ExpectReplyAsync(250);

        await connection.SendAsync("STARTTLS\r\nNOOP\r\n");

        var refused = await connection.ExpectReplyAsync(SmtpReplies.TlsAlreadyActive);
        Assert.Equal((454, "4.3.3"), (refused.Code, refused.Status));
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    // SPEC R3 rows 1 and 4: the refusal is a plain reply, TLS does not start, and the NOOP behind it is answered in clear text.
    [Theory]
    [InlineData("NOOP\r\nSTARTTLS now\r\n", 501, "5.5.2")]
    [InlineData("MAIL FROM:<a@example.net>\r\nSTARTTLS\r\n", 503, "5.5.0")]
    public async Task A_refused_starttls_leaves_the_session_in_clear_text(string commands, int code, string status)
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered());
        await connection.HelloAsync();

        await connection.SendAsync(commands + "NOOP\r\n");

        await connection.ExpectReplyAsync(250);
        var refused = await connection.ExpectReplyAsync(code);
        Assert.Equal(status, refused.Status);
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    // SPEC R15: the CertificateRequest names the CAs of Tls:CACertFile, here the test CA alone.
    [Theory]
    [InlineData("TLSv1.3")]
    [InlineData("TLSv1.2")]
    public async Task The_certificate_request_names_the_trusted_ca(string version)
    {
        var peer = new TlsClientPeer(TestTls.Version(version));

        await StartTlsAsync(peer);

        Assert.Equal([TestCertificates.Ca.Certificate.SubjectDN.ToString()], peer.RequestedAuthorities);
    }

    // SPEC R16: whatever the client's certificate, the handshake completes and {verify} says what it was worth.
    [Theory]
    [InlineData("TLSv1.3", "none", true, "NO")]
    [InlineData("TLSv1.3", "trusted", true, "OK")]
    [InlineData("TLSv1.3", "untrusted", true, "FAIL")]
    [InlineData("TLSv1.3", "expired", true, "FAIL")]
    [InlineData("TLSv1.3", "trusted", false, "NOT")]
    [InlineData("TLSv1.2", "none", true, "NO")]
    [InlineData("TLSv1.2", "trusted", true, "OK")]
    [InlineData("TLSv1.2", "untrusted", true, "FAIL")]
    [InlineData("TLSv1.2", "expired", true, "FAIL")]
    [InlineData("TLSv1.2", "trusted", false, "NOT")]
    public async Task A_message_over_tls_is_spooled_with_esmtps_and_a_tls_line_giving_the_verify_verdict(
        string version, string certificate, bool request, string verify)
    {
        var spool = new InMemorySpool();
        var peer = new TlsClientPeer(TestTls.Version(version), TestTls.ClientCertificate(certificate));
        var connection = await StartTlsAsync(peer, spool, request);

        await connection.SendAsync(Transaction + "Subject: hi\r\n\r\nHello\r\n.\r\n");

        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        Assert.Equal(request, peer.CertificateRequested);
        var message = spool.Get("m1");
        Assert.Equal("ESMTPS", message.Envelope.Protocol);
        Assert.Matches(
            "^Received: from c\\.example \\(\\[127\\.0\\.0\\.1\\]\\)\r\n"
            + "\tby mx\\.example\\.com \\(Gateway test\\) with ESMTPS id m1\r\n"
            + $"\t\\(version={version.Replace(".", "\\.", StringComparison.Ordinal)} cipher=[A-Z0-9_-]+ bits=(128|256) verify={verify}\\)\r\n"
            + "\tfor <b@example\\.org>; ",
            Encoding.UTF8.GetString(message.Content.Span));
    }

    // SPEC R17 (sendmail >= 8.17.1): the first command after STARTTLS is checked for HTTP again.
    [Fact]
    public async Task An_http_request_as_the_first_command_over_tls_is_answered_421_and_the_connection_closed()
    {
        var peer = new TlsClientPeer(ProtocolVersion.TLSv13);
        var connection = await StartTlsAsync(peer);

        await connection.SendAsync("GET / HTTP/1.1\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.RejectingOpenProxy(TestSettings.Hostname, "127.0.0.1"));
        await connection.ExpectClosedAsync();
        Assert.Equal(AlertDescription.close_notify, Assert.Single(peer.AlertsReceived));
    }

    // SPEC R18: on an SMTPS listener the greeting follows the handshake, encrypted.
    [Fact]
    public async Task An_implicit_tls_listener_writes_nothing_before_the_handshake_then_greets_over_tls()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered() with { ImplicitTls = true });
        await connection.ExpectReadRequestAsync();
        Assert.Equal(0, connection.Writes);

        await connection.HandshakeAsync(new TlsClientPeer(ProtocolVersion.TLSv13));

        await connection.ExpectReplyAsync(SmtpReplies.Greeting(TestSettings.Hostname));
        Assert.All(connection.Written, write => Assert.InRange(write[0], TestTls.ChangeCipherSpec, TestTls.ApplicationData));
        await connection.SendAsync("EHLO client.example\r\n");
        var ehlo = await connection.ExpectReplyAsync(250);
        Assert.DoesNotContain("STARTTLS", ehlo.Lines);
    }

    // RFC 8446 §6.1: close_notify before the FIN, so the client can tell a clean end from a truncation.
    [Fact]
    public async Task Quit_over_tls_is_answered_221_then_close_notify_then_the_connection_is_closed()
    {
        var peer = new TlsClientPeer(ProtocolVersion.TLSv13);
        var connection = await StartTlsAsync(peer);
        Watch(connection.Session);

        await connection.SendAsync("QUIT\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.Closing(TestSettings.Hostname));
        Assert.Empty(peer.AlertsReceived);
        await connection.ExpectClosedAsync();
        Assert.Equal(AlertDescription.close_notify, Assert.Single(peer.AlertsReceived));
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task Without_tls_settings_starttls_is_not_advertised_and_is_answered_454()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestSettings.Connection);
        await connection.ExpectReplyAsync(220);
        await connection.SendAsync("EHLO client.example\r\n");
        var ehlo = await connection.ExpectReplyAsync(250);

        await connection.SendAsync("STARTTLS\r\nNOOP\r\n");

        Assert.DoesNotContain("STARTTLS", ehlo.Lines);
        var refused = await connection.ExpectReplyAsync(SmtpReplies.TlsNotAvailable);
        Assert.Equal("454 4.3.3 TLS not available after start\r\n", refused.Wire);
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    private async Task<FakeConnection> StartTlsAsync(TlsClientPeer peer, InMemorySpool? spool = null, bool requestClientCertificate = true)
    {
        var settings = TestTls.Offered(requestClientCertificate);
        var connection = FakeConnection.Open(this, spool ?? new InMemorySpool(), CreateTestProbe(), settings);
        await connection.HelloAsync();
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        await connection.HandshakeAsync(peer);
        return connection;
    }
}
