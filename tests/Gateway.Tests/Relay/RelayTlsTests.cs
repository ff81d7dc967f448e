using System.Runtime.Versioning;
using Gateway.Tests.Support;

namespace Gateway.Tests.Relay;

/// <summary>
/// STARTTLS as a client (SPEC section 2) against a next hop whose TLS is .NET's SslStream (OpenSSL): the handshake with
/// our client certificate, {verify} against Tls:CACertFile, and the access map's client hooks: TLS_Srv (R24), TLS_Rcpt
/// (R26), Try_TLS (R20), each with a test that fails without it; R22's replies to STARTTLS and R83's injection defence.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RelayTlsTests : IAsyncLifetime
{
    private const string Relay = "Connect:127.0.0.1 RELAY";

    private readonly RelayFixture _fixture = new();
    private readonly TestPki _pki = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        _pki.Dispose();
    }

    /// <summary>A hop with the PKI's server certificate that asks for a client certificate.</summary>
    private TinySmtpServer TlsSink(SinkBehaviour? behaviour = null) =>
        _fixture.Sink((behaviour ?? new SinkBehaviour()) with { Certificate = _pki.ClientCertificate("server"), RequestClientCertificate = true });

    /// <summary>Our client certificate, and (when <paramref name="trusting"/>) the CA that signed the hop's.</summary>
    private string[] Tls(bool trusting = true) =>
    [
        $"--Tls:ClientCertFile={_pki.CertFile("client")}",
        $"--Tls:ClientKeyFile={_pki.KeyFile("client")}",
        .. trusting ? [$"--Tls:CACertFile={_pki.CaFile}"] : Array.Empty<string>(),
    ];

    [Fact]
    public async Task The_message_goes_over_STARTTLS_and_the_hop_sees_our_client_certificate()
    {
        var sink = TlsSink();
        var node = await _fixture.NodeAsync(Relay, sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        Assert.True(received[0].Tls);
        Assert.Contains("CN=relay1.example.com", received[0].ClientCertificateSubject, StringComparison.Ordinal);

        // R25: EHLO again over TLS, and no second STARTTLS.
        Assert.Equal(2, sink.Commands.Count(c => c.StartsWith("EHLO", StringComparison.Ordinal)));
        Assert.Single(sink.Commands, "STARTTLS");
    }

    [Fact]
    public async Task TLS_Srv_VERIFY_defers_when_the_hops_certificate_does_not_verify_with_sendmails_words()
    {
        var sink = TlsSink();
        var node = await _fixture.NodeAsync(Relay + "\nTLS_Srv:127.0.0.1 VERIFY", sink, Tls(trusting: false));

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.Equal("454 4.7.0 authentication failed", listing[0].LastError);
        Assert.Empty(sink.Messages);
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
        Assert.Equal("QUIT", sink.Commands[^1]);
    }

    [Fact]
    public async Task TLS_Srv_VERIFY_lets_the_message_go_when_the_hops_certificate_verifies()
    {
        var sink = TlsSink();
        var node = await _fixture.NodeAsync(Relay + "\nTLS_Srv:127.0.0.1 VERIFY:128", sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        Assert.True(received[0].Tls);
    }

    [Fact]
    public async Task TLS_Srv_with_PERM_plus_fails_the_recipient_and_the_sender_gets_a_report()
    {
        var sink = TlsSink();
        var node = await _fixture.NodeAsync(Relay + "\nTLS_Srv:127.0.0.1 PERM+VERIFY", sink, Tls(trusting: false));

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var bounce = await MaildirReader.WaitForAsync(node.Maildir, "alice@localhost", 1, RelayFixture.Deadline);
        Assert.Contains("Status: 5.7.0", bounce[0], StringComparison.Ordinal);
        Assert.Contains("authentication failed", bounce[0], StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task TLS_Rcpt_holds_back_only_the_recipient_it_names()
    {
        var sink = TlsSink();
        var node = await _fixture.NodeAsync(Relay + "\nTLS_Rcpt:secret@remote.example VERIFY", sink, Tls(trusting: false));

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["secret@remote.example", "bob@remote.example"]);

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message for bob", RelayFixture.Deadline);
        Assert.Equal(["bob@remote.example"], received[0].Recipients);
        Assert.DoesNotContain(sink.Commands, c => c.Contains("secret@", StringComparison.Ordinal));
        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred recipient");
        var secret = listing[0].Recipients.Single(r => r.Address == "secret@remote.example");
        Assert.Equal("pending", secret.State);
        Assert.Equal("454 4.7.0 authentication failed", secret.Reply);
        Assert.Equal("delivered", listing[0].Recipients.Single(r => r.Address == "bob@remote.example").State);
    }

    [Fact]
    public async Task Try_TLS_NO_skips_STARTTLS_for_that_hop()
    {
        var sink = TlsSink();
        var node = await _fixture.NodeAsync(Relay + "\nTry_TLS:127.0.0.1 NO", sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        Assert.False(received[0].Tls);
        Assert.DoesNotContain("STARTTLS", sink.Commands);
    }

    [Fact]
    public async Task Bytes_injected_after_the_220_to_STARTTLS_are_thrown_away()
    {
        // CVE-2011-0411's attack: a reply queued in clear, to be read as if it came over TLS (R83).
        var sink = TlsSink(new SinkBehaviour { InjectAfterStartTls = "\r\n554 5.7.1 injected refusal" });
        var node = await _fixture.NodeAsync(Relay, sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        Assert.True(received[0].Tls);
    }

    [Fact]
    public async Task A_hop_that_fails_the_handshake_defers_the_message_with_TLS_handshake_failed()
    {
        var sink = TlsSink(new SinkBehaviour { BreakHandshake = true });
        var node = await _fixture.NodeAsync(Relay, sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.Equal("454 4.7.0 TLS handshake failed.", listing[0].LastError);
    }

    [Fact]
    public async Task A_4xx_to_STARTTLS_leaves_the_session_in_clear_and_the_mail_goes()
    {
        var sink = TlsSink(new SinkBehaviour { StartTlsReply = "454 4.7.0 TLS not available now" });
        var node = await _fixture.NodeAsync(Relay, sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        Assert.False(received[0].Tls);
    }

    [Fact]
    public async Task TLS_Srv_ENCR_refuses_a_hop_that_stays_in_clear()
    {
        var sink = _fixture.Sink();
        var node = await _fixture.NodeAsync(Relay + "\nTLS_Srv:127.0.0.1 ENCR:128", sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.Equal("454 4.7.0 encryption too weak 0 less than 128", listing[0].LastError);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task An_expired_hop_certificate_does_not_verify()
    {
        var sink = _fixture.Sink(new SinkBehaviour { Certificate = _pki.ClientCertificate("expired") });
        var node = await _fixture.NodeAsync(Relay + "\nTLS_Srv:127.0.0.1 VERIFY", sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.Equal("454 4.7.0 authentication failed", listing[0].LastError);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_refused_by_a_bare_plus_CN_and_accepted_by_the_name_it_carries()
    {
        // The hop's certificate is for mx.test.example; the route connects to 127.0.0.1, the {server_name} a bare +CN compares.
        var sink = TlsSink();
        var node = await _fixture.NodeAsync(Relay + "\nTLS_Srv:127.0.0.1 VERIFY+CN", sink, Tls());

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.Equal("454 4.7.0 CN mx.test.example does not match 127.0.0.1", listing[0].LastError);

        var named = TlsSink();
        var other = await _fixture.NodeAsync(Relay + "\nTLS_Srv:127.0.0.1 VERIFY+CN:mx.test.example", named, Tls());
        await RelayFixture.SubmitAsync(other, "alice@localhost", ["bob@remote.example"]);
        await Eventually.UntilAsync(() => named.Messages, m => m.Count == 1, "the message at the hop named in +CN", RelayFixture.Deadline);
    }
}
