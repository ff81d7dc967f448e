using Gateway.Protocol.Replies;
using System.Text;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

public sealed class ConnectionActorDataTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private const string Transaction = "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n";

    // The 2023 SMTP smuggling attacks: a receiver that ends DATA at one of these runs the
    // smuggled NOOP as a command, and its 250 would arrive where HELP's 214 is expected.
    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\r.\r\n")]
    [InlineData("\r\n.\r")]
    public async Task A_bare_line_ending_around_a_dot_does_not_end_data_and_the_message_is_refused(string fakeEnd)
    {
        var spool = new InMemorySpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + "Subject: x\r\n\r\nbefore" + fakeEnd + "NOOP\r\n\r\n.\r\nHELP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        var reply = await connection.ExpectReplyAsync(SmtpReplies.BareLineEnding);
        Assert.Equal((554, "5.6.0"), (reply.Code, reply.Status));
        await connection.ExpectReplyAsync(SmtpReplies.Help);
        await queue.ExpectNoMsgAsync(TimeSpan.Zero);
        Assert.Empty(spool.Ids);
    }

    [Fact]
    public async Task A_bare_lf_inside_a_line_refuses_the_message_and_the_session_continues()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + "one\ntwo\r\n.\r\n" + Transaction + "clean\r\n.\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.BareLineEnding);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
    }

    [Fact]
    public async Task The_final_dot_split_across_chunks_still_ends_data()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();
        await connection.SendAsync(Transaction);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);

        await connection.SendAsync("Hello\r");
        await connection.SendAsync("\n.");
        await connection.SendAsync("\r");
        await connection.SendAsync("\n");

        await connection.ExpectReplyAsync(SmtpReplies.Queued("m1"));
        Assert.EndsWith("\r\nHello\r\n", Encoding.UTF8.GetString(spool.Get("m1").Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dot_stuffing_is_removed_from_the_spooled_content()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + "..\r\n...two\r\n.x\r\n.\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        Assert.EndsWith("\r\n.\r\n..two\r\nx\r\n", Encoding.UTF8.GetString(spool.Get("m1").Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_inside_the_data_are_content_not_commands()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + "QUIT\r\nRSET\r\n.\r\nNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"), SmtpReplies.Ok);
        Assert.EndsWith("\r\nQUIT\r\nRSET\r\n", Encoding.UTF8.GetString(spool.Get("m1").Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_message_is_spooled_with_only_the_received_field()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + ".\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        var content = Encoding.UTF8.GetString(spool.Get("m1").Content.Span);
        Assert.StartsWith("Received: ", content, StringComparison.Ordinal);
        Assert.Single(content.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith('\t'));
    }
}
