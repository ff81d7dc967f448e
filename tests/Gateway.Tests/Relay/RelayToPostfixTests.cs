using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Gateway.Tests.Support;

namespace Gateway.Tests.Relay;

/// <summary>
/// Issue 13's "done when": mail for a remote domain reaches a real Postfix as next hop (with smtp-sink behind it), in
/// clear and over verified STARTTLS with the gateway's client certificate; Postfix's log shows the certificate it was
/// given, and the message carries both hops' Received lines.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RelayToPostfixTests : IAsyncLifetime
{
    private readonly RelayFixture _fixture = new();
    private readonly TestPki _pki = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        _pki.Dispose();
    }

    [PostfixFact]
    public async Task Mail_reaches_Postfix_in_clear_with_both_hops_Received_lines()
    {
        await using var postfix = await PostfixPeer.StartAsync();
        var node = await _fixture.NodeAsync("Connect:127.0.0.1 RELAY", postfix.Port);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var delivered = Assert.Single(await postfix.WaitForMessagesAsync(1, RelayFixture.Deadline));
        Assert.Equal("<alice@localhost>", delivered.ReversePath);
        Assert.Equal(["<bob@remote.example>"], delivered.ForwardPaths);

        // Postfix's hop names us by our EHLO; ours, below it, names the submitting client.
        Assert.Matches(@"^Received: from mx\.test\.example \(unknown \[127\.0\.0\.1\]\)\n\tby postfix\.peer\.test \(Postfix\) with ESMTP id [0-9A-F]+\n", delivered.Content);
        Assert.Matches(@"\nReceived: from client\.test\.example \(\[127\.0\.0\.1\]\)\n?\s*by mx\.test\.example", delivered.Content);
        Assert.Contains("Hello over there.", delivered.Content, StringComparison.Ordinal);
        await RelayFixture.QueueUntilAsync(node, l => l.Count == 0, "an empty queue");
    }

    [PostfixFact]
    public async Task Mail_reaches_Postfix_over_verified_STARTTLS_with_our_client_certificate()
    {
        await using var postfix = await PostfixPeer.StartAsync(new PostfixPeerOptions
        {
            ServerCertFile = _pki.CertFile("server"),
            ServerKeyFile = _pki.KeyFile("server"),
            CaFile = _pki.CaFile,
        });
        var node = await _fixture.NodeAsync(
            "Connect:127.0.0.1 RELAY\nTLS_Srv:127.0.0.1 VERIFY:128",
            postfix.Port,
            $"--Tls:ClientCertFile={_pki.CertFile("client")}",
            $"--Tls:ClientKeyFile={_pki.KeyFile("client")}",
            $"--Tls:CACertFile={_pki.CaFile}");

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var delivered = Assert.Single(await postfix.WaitForMessagesAsync(1, RelayFixture.Deadline));
        Assert.Matches(
            @"^Received: from mx\.test\.example \(unknown \[127\.0\.0\.1\]\)\n\t\(using TLSv1\.3 with cipher [\s\S]*?\n\t\(Client CN ""relay1\.example\.com"", Issuer ""Relay Trust CA"" \(verified OK\)\)\n\tby postfix\.peer\.test \(Postfix\) with ESMTPS id [0-9A-F]+\n\tfor <bob@remote\.example>; [^\n]+\nReceived: from client\.test\.example \(\[127\.0\.0\.1\]\)\n\tby mx\.test\.example ",
            delivered.Content);
        await postfix.WaitForLogAsync(new Regex(@"smtpd\[\d+\]: Trusted TLS connection established from unknown\[127\.0\.0\.1\]: TLSv1\.3 with cipher \S+"), RelayFixture.Deadline);
        await postfix.WaitForLogAsync(new Regex(@"smtpd\[\d+\]: unknown\[127\.0\.0\.1\]: subject_CN=relay1\.example\.com, issuer=Relay Trust CA, fingerprint="), RelayFixture.Deadline);
    }

    [PostfixFact]
    public async Task A_Postfix_that_refuses_the_recipient_makes_a_bounce_with_its_reply()
    {
        await using var postfix = await PostfixPeer.StartAsync(new PostfixPeerOptions
        {
            MainCf = new Dictionary<string, string> { ["smtpd_recipient_restrictions"] = "reject" },
        });
        var node = await _fixture.NodeAsync("Connect:127.0.0.1 RELAY", postfix.Port);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var bounce = await MaildirReader.WaitForAsync(node.Maildir, "alice@localhost", 1, RelayFixture.Deadline);
        Assert.Contains("Action: failed", bounce[0], StringComparison.Ordinal);
        Assert.Matches(@"Diagnostic-Code: smtp; 554 5\.7\.1 <bob@remote\.example>: Recipient address rejected", bounce[0]);
    }
}
