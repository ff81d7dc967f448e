using Gateway.Tests.Support;

namespace Gateway.Tests.Access;

/// <summary>The rest of the access map over the wire: Srv_Features S (R63, R64), Connect:, From:, To:, and editing the map.</summary>
public sealed partial class WorkedExamplesTests
{
    private const string Hidden = "127.0.0.21";
    private const string Unwelcome = "127.0.0.31";
    private const string Trusted = "127.0.0.32";
    private const string Binned = "127.0.0.33";
    private const string Stranger = "127.0.0.34";

    private const string Classic = """
        Srv_Features:127.0.0.21   S
        Connect:127.0.0.31        ERROR:"550 5.7.1 You are not welcome"
        Connect:127.0.0.32        RELAY
        Connect:127.0.0.33        DISCARD
        From:spammer@example.net  REJECT
        To:binned@localhost       DISCARD
        """;

    [Fact]
    public async Task Srv_Features_S_hides_STARTTLS_from_one_client_only()
    {
        var node = await StartAsync(Classic);
        await using var hidden = await OpenAsync(node, Hidden);
        await using var other = await OpenAsync(node, Stranger);

        Assert.DoesNotContain("STARTTLS", await hidden.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        Assert.Equal("454 4.3.3 TLS not available after start", await hidden.CommandAsync("STARTTLS"));
        Assert.Contains("STARTTLS", await other.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        Assert.StartsWith("220 ", await other.CommandAsync("STARTTLS"));
    }

    [Fact]
    public async Task Connect_ERROR_greets_then_refuses_the_client_with_the_maps_reply()
    {
        var node = await StartAsync(Classic);
        await using var smtp = await OpenAsync(node, Unwelcome);

        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));
        Assert.Equal("550 5.7.1 You are not welcome", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
    }

    [Fact]
    public async Task Connect_RELAY_lets_that_client_relay_and_no_other()
    {
        var node = await StartAsync(Classic);

        Assert.StartsWith("250 ", await RcptAsync(node, Trusted, "x@remote.example"));
        Assert.Equal(RelayingDenied, await RcptAsync(node, Stranger, "x@remote.example"));
    }

    [Fact]
    public async Task From_REJECT_refuses_the_sender_with_Access_denied()
    {
        var node = await StartAsync(Classic);
        await using var smtp = await OpenAsync(node, Stranger);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));

        Assert.Equal("550 5.7.1 Access denied", await smtp.CommandAsync("MAIL FROM:<spammer@example.net>"));
        Assert.StartsWith("250 ", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
    }

    [Fact]
    public async Task DISCARD_by_Connect_or_by_To_answers_250_and_delivers_nothing()
    {
        var node = await StartAsync(Classic);
        await using (var binned = await OpenAsync(node, Binned))
        {
            Assert.StartsWith("250", await binned.CommandAsync("EHLO client.example"));
            await SendAsync(binned, "kept@localhost", "discarded by Connect");
        }

        await using (var stranger = await OpenAsync(node, Stranger))
        {
            Assert.StartsWith("250", await stranger.CommandAsync("EHLO client.example"));
            Assert.StartsWith("250 ", await stranger.CommandAsync("MAIL FROM:<a@example.com>"));
            Assert.StartsWith("250 ", await stranger.CommandAsync("RCPT TO:<binned@localhost>"));
            Assert.StartsWith("250 ", await stranger.CommandAsync("RCPT TO:<kept@localhost>"));
            Assert.StartsWith("354 ", await stranger.CommandAsync("DATA"));
            Assert.StartsWith("250 2.0.0 Ok: queued as ", await stranger.CommandAsync("Subject: discarded by To\r\n\r\nhello\r\n."));
            await SendAsync(stranger, "kept@localhost", "kept");
        }

        // A DISCARD drops the whole message at its 250 (sendmail's $#discard), so nothing is spooled; had either
        // discarded message been, it would have been queued before the kept one was even sent.
        var delivered = Assert.Single(await MaildirReader.WaitForAsync(node.Maildir, "kept@localhost", 1));
        Assert.Contains("Subject: kept\r\n", delivered, StringComparison.Ordinal);
        Assert.Empty(MaildirReader.Messages(node.Maildir, "binned@localhost"));
    }

    [Fact]
    public async Task An_edited_map_changes_the_answer_without_a_restart()
    {
        var node = await StartAsync(Classic);
        Assert.Equal(RelayingDenied, await RcptAsync(node, Stranger, "x@remote.example"));

        WriteMap(Classic + "\nTo:remote.example        RELAY");

        // The watcher looks once a second; poll with a deadline rather than guess how long a reload takes.
        var reply = await Eventually.UntilAsync(
            () => RcptAsync(node, Stranger, "x@remote.example"), r => r != RelayingDenied, "a RCPT answered by the edited map", Deadline);

        Assert.StartsWith("250 ", reply);
    }

    private static async Task<string?> RcptAsync(TestNode node, string source, string rcpt)
    {
        await using var smtp = await OpenAsync(node, source);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));
        Assert.StartsWith("250 ", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
        return await smtp.CommandAsync($"RCPT TO:<{rcpt}>");
    }
}
