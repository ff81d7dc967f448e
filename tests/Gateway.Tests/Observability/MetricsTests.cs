using Gateway.Tests.Support;

namespace Gateway.Tests.Observability;

/// <summary>
/// /metrics of a real node after a known workload: plain sessions with one message each, a session whose two
/// recipients are refused (relaying denied), STARTTLS sessions with .NET's SslStream. Every count is exact.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests : IAsyncLifetime
{
    private const int Plain = 5;
    private const int Tls = 3;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("--Http:Listen=127.0.0.1:0");

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task After_a_known_workload_the_scrape_has_the_exact_counts()
    {
        var before = await Scrape();
        Assert.Equal(0, before.Sum("gateway_sessions_total"));

        for (var i = 0; i < Plain; i++)
        {
            await using var smtp = await SmtpStream.ConnectAsync(_node.Smtp);
            await smtp.SendMessageAsync($"plain{i}@localhost", $"plain {i}");
            Assert.StartsWith("221 ", await smtp.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        await using (var refused = await SmtpStream.ConnectAsync(_node.Smtp))
        {
            Assert.StartsWith("220 ", await refused.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("250", await refused.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
            Assert.StartsWith("250 ", await refused.CommandAsync("MAIL FROM:<a@example.com>"), StringComparison.Ordinal);
            Assert.StartsWith("550 ", await refused.CommandAsync("RCPT TO:<x@elsewhere.example>"), StringComparison.Ordinal);
            Assert.StartsWith("550 ", await refused.CommandAsync("RCPT TO:<y@elsewhere.example>"), StringComparison.Ordinal);
            Assert.StartsWith("221 ", await refused.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        for (var i = 0; i < Tls; i++)
        {
            await using var smtp = await SmtpStream.ConnectAsync(_node.Smtp);
            await smtp.SendMessageAsync($"tls{i}@localhost", $"tls {i}", startTls: true);
            Assert.StartsWith("221 ", await smtp.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        const int messages = Plain + Tls;
        const int sessions = Plain + 1 + Tls;

        // Deliveries and the end of each session happen after the client's last reply: wait for them, then read once.
        await Eventually.UntilAsync(
            Scrape,
            s => s.Sum("gateway_deliveries_total") >= messages && s.Sum("gateway_sessions_open") == 0,
            "every message delivered and every session closed",
            describe: s => s.Text);
        var after = await Scrape();

        Assert.Equal(sessions, after.Sum("gateway_sessions_total", "listener=smtp"));
        Assert.Equal(sessions, after.Sum("gateway_sessions_total"));
        Assert.Equal(0, after.Sum("gateway_sessions_open", "listener=smtp"));

        Assert.Equal(Tls, after.Sum("gateway_tls_handshakes_total", "outcome=ok"));
        Assert.Equal(Tls, after.Sum("gateway_tls_handshakes_total", "outcome=ok", "version=TLSv1.3", "cipher=TLS_AES_256_GCM_SHA384"));
        Assert.Equal(0, after.Sum("gateway_tls_handshakes_total", "outcome=failed"));
        Assert.Equal(Tls, after.Sum("gateway_tls_verify_total", "verify=NO"));

        Assert.Equal(messages, after.Sum("gateway_messages_accepted_total"));
        Assert.Equal(0, after.Sum("gateway_messages_refused_total"));
        Assert.Equal(messages, after.Sum("gateway_spool_commit_duration_seconds_count"));
        Assert.Equal(messages, after.Sum("gateway_spool_commit_duration_seconds_bucket", "le=+Inf"));
        Assert.True(after.Sum("gateway_spool_commit_duration_seconds_sum") > 0, after.Text);

        // EHLO twice per TLS session (before and after the handshake, RFC 3207 §4.2).
        Assert.Equal(Plain + 1 + 2 * Tls, after.Sum("gateway_commands_total", "verb=EHLO"));
        Assert.Equal(Tls, after.Sum("gateway_commands_total", "verb=STARTTLS"));
        Assert.Equal(messages + 2, after.Sum("gateway_commands_total", "verb=RCPT"));
        Assert.Equal(messages, after.Sum("gateway_replies_total", "verb=RCPT", "class=2xx"));
        Assert.Equal(2, after.Sum("gateway_replies_total", "verb=RCPT", "class=5xx"));
        Assert.Equal(messages, after.Sum("gateway_replies_total", "verb=DATA", "class=3xx"));
        Assert.Equal(messages, after.Sum("gateway_replies_total", "verb=DATA", "class=2xx"));
        Assert.Equal(sessions, after.Sum("gateway_replies_total", "verb=QUIT", "class=2xx"));

        Assert.Equal(messages, after.Sum("gateway_deliveries_total", "outcome=delivered"));
        Assert.Equal(messages, after.Sum("gateway_deliveries_total"));

        Assert.Equal(2, after.Sum("gateway_policy_verdicts_total", "check=rcpt", "verdict=reject"));
        Assert.Equal(messages, after.Sum("gateway_policy_verdicts_total", "check=rcpt", "verdict=continue"));
        Assert.Equal(after.Sum("gateway_policy_verdicts_total"), after.Sum("gateway_policy_cache_lookups_total"));

        Assert.Equal(1, after.Sum("gateway_entropy_seeded"));
        Assert.Equal(1, after.Sum("gateway_cluster_members_up"));
        Assert.Equal(0, after.Sum("gateway_queue_messages"));
        Assert.Equal(0, after.Sum("gateway_queue_oldest_age_seconds"));
        Assert.True(after.Has("gateway_queue_messages"), after.Text);
    }

    /// <summary>A session that has said EHLO and STARTTLS and got its 220: the next bytes are the handshake's.</summary>
    private async Task<SmtpStream> ReadyForHandshakeAsync()
    {
        var smtp = await SmtpStream.ConnectAsync(_node.Smtp);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        Assert.StartsWith("220 ", await smtp.CommandAsync("STARTTLS"), StringComparison.Ordinal);
        return smtp;
    }

    [Fact]
    public async Task A_handshake_the_client_abandons_is_counted_as_aborted()
    {
        await using (var smtp = await ReadyForHandshakeAsync())
        {
            // Half a ClientHello's record header, then the client goes away.
            await smtp.SendAsync("\u0016\u0003\u0001");
        }

        var after = await Eventually.UntilAsync(
            Scrape, s => s.Sum("gateway_sessions_open") == 0, "the session closed", describe: s => s.Text);
        Assert.Equal(1, after.Sum("gateway_tls_handshakes_total", "outcome=aborted", "version=", "cipher="));
        Assert.Equal(0, after.Sum("gateway_tls_handshakes_total", "outcome=failed"));
        Assert.Equal(0, after.Sum("gateway_tls_handshakes_total", "outcome=ok"));
    }

    [Fact]
    public async Task A_failed_handshake_is_counted_as_failed_without_a_version()
    {
        await using (var smtp = await ReadyForHandshakeAsync())
        {
            // Not a TLS ClientHello: the handshake fails and the connection closes without an SMTP reply (SPEC R6).
            await smtp.SendAsync("this is not TLS\r\n\r\n\r\n\r\n\r\n\r\n");
            Assert.True(await smtp.ClosedWithoutReplyAsync());
        }

        var after = await Eventually.UntilAsync(
            Scrape, s => s.Sum("gateway_sessions_open") == 0, "the session closed", describe: s => s.Text);
        Assert.Equal(1, after.Sum("gateway_tls_handshakes_total", "outcome=failed", "version=", "cipher="));
        Assert.Equal(0, after.Sum("gateway_tls_handshakes_total", "outcome=ok"));
        Assert.Equal(0, after.Sum("gateway_tls_verify_total"));
    }

    [Fact]
    public async Task A_message_that_cannot_be_delivered_waits_in_the_queue_gauges_with_its_age()
    {
        // A Maildir root that is a file: local delivery fails, the message is deferred and scheduled for a retry.
        var root = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var notADirectory = Path.Combine(root, "mail");
        await File.WriteAllTextAsync(notADirectory, "not a directory");
        try
        {
            await using var node = await TestNode.StartAsync("--Http:Listen=127.0.0.1:0", $"--Delivery:Maildir={notADirectory}");
            await using (var smtp = await SmtpStream.ConnectAsync(node.Smtp))
            {
                await smtp.SendMessageAsync("waiting@localhost", "waits");
                Assert.StartsWith("221 ", await smtp.CommandAsync("QUIT"), StringComparison.Ordinal);
            }

            var scrape = await Eventually.UntilAsync(
                () => PrometheusScrape.ReadAsync(_http, node.Node.HttpEndpoint!),
                s => s.Sum("gateway_queue_messages", "state=scheduled") == 1,
                "the message scheduled for a retry",
                describe: s => s.Text);
            Assert.Equal(1, scrape.Sum("gateway_deliveries_total", "outcome=deferred"));
            Assert.Equal(0, scrape.Sum("gateway_deliveries_total", "outcome=delivered"));
            Assert.Equal(1, scrape.Sum("gateway_queue_messages"));
            Assert.True(scrape.Sum("gateway_queue_oldest_age_seconds") > 0, scrape.Text);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private Task<PrometheusScrape> Scrape() => PrometheusScrape.ReadAsync(_http, _node.Node.HttpEndpoint!);
}
