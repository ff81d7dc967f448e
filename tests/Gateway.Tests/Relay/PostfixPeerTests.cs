using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Gateway.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.Relay;

/// <summary>
/// The Postfix next hop the relay is tested against, checked with an independent client (MailKit) before
/// anything of ours talks to it: mail goes through Postfix to its sink, and Postfix's log and Received line
/// show what it made of the client's TLS certificate.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PostfixPeerTests : IDisposable
{
    private readonly TestPki _pki = new();

    [PostfixFact]
    public async Task Plain_mail_reaches_the_sink_through_Postfix_with_its_Received_line()
    {
        await using var peer = await PostfixPeer.StartAsync();
        var message = Message("alice@example.org", "bob@remote.example", "plain");

        await SendAsync(peer, message, SecureSocketOptions.None);

        var delivered = Assert.Single(await peer.WaitForMessagesAsync(1));
        Assert.Equal("<alice@example.org>", delivered.ReversePath);
        Assert.Equal(["<bob@remote.example>"], delivered.ForwardPaths);
        Assert.Equal("postfix.peer.test", delivered.Helo);
        Assert.Matches(@"^Received: from client\.example \(unknown \[127\.0\.0\.1\]\)\n\tby postfix\.peer\.test \(Postfix\) with ESMTP id [0-9A-F]+\n\tfor <bob@remote\.example>; ", delivered.Content);
        Assert.Contains($"Message-Id: <{message.MessageId}>", delivered.Content, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Sent through Postfix.\n", delivered.Content);
        await peer.WaitForLogAsync(SentToSink(peer, "bob@remote.example"));
    }

    [PostfixFact]
    public async Task A_client_certificate_from_the_test_CA_is_trusted_and_Postfix_logs_its_CN()
    {
        await using var peer = await PostfixPeer.StartAsync(TlsOptions());

        await SendAsync(peer, Message("alice@example.org", "bob@remote.example", "tls"), SecureSocketOptions.StartTls, _pki.ClientCertificate("client"));

        var delivered = Assert.Single(await peer.WaitForMessagesAsync(1));
        Assert.Matches(@"\(Client CN ""relay1\.example\.com"", Issuer ""Relay Trust CA"" \(verified OK\)\)\n\tby postfix\.peer\.test \(Postfix\) with ESMTPS id ", delivered.Content);
        await peer.WaitForLogAsync(TlsEstablished("Trusted"));
        await peer.WaitForLogAsync(new Regex(@"smtpd\[\d+\]: unknown\[127\.0\.0\.1\]: subject_CN=relay1\.example\.com, issuer=Relay Trust CA, fingerprint="));
    }

    [PostfixFact]
    public async Task A_client_certificate_from_another_CA_is_logged_as_untrusted()
    {
        await using var peer = await PostfixPeer.StartAsync(TlsOptions());

        await SendAsync(peer, Message("alice@example.org", "bob@remote.example", "stranger"), SecureSocketOptions.StartTls, _pki.ClientCertificate("stranger"));

        var delivered = Assert.Single(await peer.WaitForMessagesAsync(1));
        Assert.Contains(@"(Client CN ""stranger.example.com"", Issuer ""Stranger CA"" (not verified))", delivered.Content, StringComparison.Ordinal);
        await peer.WaitForLogAsync(TlsEstablished("Untrusted"));
    }

    [PostfixFact]
    public async Task Without_a_client_certificate_the_session_is_anonymous()
    {
        await using var peer = await PostfixPeer.StartAsync(TlsOptions());

        await SendAsync(peer, Message("alice@example.org", "bob@remote.example", "anonymous"), SecureSocketOptions.StartTls);

        var delivered = Assert.Single(await peer.WaitForMessagesAsync(1));
        Assert.Contains(" with ESMTPS id ", delivered.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("Client CN", delivered.Content, StringComparison.Ordinal);
        await peer.WaitForLogAsync(TlsEstablished("Anonymous"));
    }

    [PostfixFact]
    public async Task Main_cf_overrides_reach_Postfix_so_a_test_can_make_it_refuse_a_recipient()
    {
        await using var peer = await PostfixPeer.StartAsync(new PostfixPeerOptions
        {
            MainCf = new Dictionary<string, string>
            {
                ["smtpd_recipient_restrictions"] = "check_recipient_access inline:{ {refused@remote.example = 550 5.7.1 not this one} }",
            },
        });

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(
            () => SendAsync(peer, Message("alice@example.org", "refused@remote.example", "refused"), SecureSocketOptions.None));

        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("not this one", refused.Message, StringComparison.Ordinal);
        await peer.WaitForLogAsync(new Regex(@"NOQUEUE: reject: RCPT from unknown\[127\.0\.0\.1\]: 550 5\.7\.1 <refused@remote\.example>: Recipient address rejected: not this one"));
    }

    [PostfixFact]
    public async Task Two_peers_at_once_keep_their_own_ports_queues_and_sinks()
    {
        var peers = await Task.WhenAll(PostfixPeer.StartAsync(), PostfixPeer.StartAsync(new PostfixPeerOptions { Hostname = "second.peer.test" }));
        await using var first = peers[0];
        await using var second = peers[1];

        await SendAsync(first, Message("a@example.org", "one@remote.example", "first"), SecureSocketOptions.None);
        await SendAsync(second, Message("a@example.org", "two@remote.example", "second"), SecureSocketOptions.None);

        Assert.NotEqual(first.Port, second.Port);
        Assert.Equal(["<one@remote.example>"], Assert.Single(await first.WaitForMessagesAsync(1)).ForwardPaths);
        Assert.Equal(["<two@remote.example>"], Assert.Single(await second.WaitForMessagesAsync(1)).ForwardPaths);
        Assert.Contains("by second.peer.test (Postfix)", Assert.Single(await second.WaitForMessagesAsync(1)).Content, StringComparison.Ordinal);
    }

    [PostfixFact]
    public async Task Disposing_stops_every_Postfix_process_and_removes_the_directory()
    {
        var peer = await PostfixPeer.StartAsync();
        await SendAsync(peer, Message("a@example.org", "b@remote.example", "before stop"), SecureSocketOptions.None);
        await peer.WaitForMessagesAsync(1);
        Assert.NotEmpty(PostfixProcesses.InGroup(peer.MasterPid));

        await peer.DisposeAsync();

        Assert.Empty(PostfixProcesses.InGroup(peer.MasterPid));
        Assert.False(Directory.Exists(peer.Root));
    }

    public void Dispose() => _pki.Dispose();

    private PostfixPeerOptions TlsOptions() => new()
    {
        ServerCertFile = _pki.CertFile("server"),
        ServerKeyFile = _pki.KeyFile("server"),
        CaFile = _pki.CaFile,
    };

    private static Regex TlsEstablished(string verdict) =>
        new($@"smtpd\[\d+\]: {verdict} TLS connection established from unknown\[127\.0\.0\.1\]: TLSv1\.3 with cipher \S+");

    private static Regex SentToSink(PostfixPeer peer, string rcpt) =>
        new($@"smtp\[\d+\]: [0-9A-F]+: to=<{Regex.Escape(rcpt)}>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:{peer.Sink.Port}, .*status=sent \(250 2\.0\.0 Ok\)");

    private static MimeMessage Message(string from, string to, string subject) => new(
        [MailboxAddress.Parse(from)], [MailboxAddress.Parse(to)], subject, new TextPart("plain") { Text = "Sent through Postfix.\r\n" });

    private static async Task SendAsync(PostfixPeer peer, MimeMessage message, SecureSocketOptions security, X509Certificate2? certificate = null)
    {
        using var client = new SmtpClient
        {
            LocalDomain = "client.example",
            CheckCertificateRevocation = false,

            // The peer must present the server certificate the test gave it.
            ServerCertificateValidationCallback = (_, presented, _, _) => presented?.Subject == "CN=mx.test.example",
        };
        if (certificate is not null)
        {
            client.ClientCertificates = [certificate];
        }

        await client.ConnectAsync("127.0.0.1", peer.Port, security);
        Assert.Equal(security == SecureSocketOptions.StartTls, client.IsSecure);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
    }
}
