using Gateway.Protocol.Replies;
using System.Text;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

public sealed class ConnectionActorPipeliningTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    [Fact]
    public async Task A_pipelined_group_in_one_chunk_is_answered_in_order_in_one_write()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync("EHLO client.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n");

        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        Assert.Equal(2, connection.Writes);
    }

    [Fact]
    public async Task A_command_sent_byte_by_byte_is_answered_once_and_each_byte_asks_for_the_next()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.ExpectReplyAsync(220);
        await connection.ExpectReadRequestAsync();
        var command = Encoding.ASCII.GetBytes("EHLO client.example\r\n");

        foreach (var b in command[..^1])
        {
            await connection.SendAsync([b]);
            await connection.ExpectReadRequestAsync();
        }

        Assert.Equal(1, connection.Writes);
        await connection.SendAsync([command[^1]]);
        await connection.ExpectReplyAsync(250);
        await connection.SendAsync("NOOP\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    [Fact]
    public async Task A_message_sent_byte_by_byte_is_spooled_exactly()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);

        foreach (var b in "Subject: hi\r\n\r\n..stuffed\r\nbody\r\n.\r\n"u8.ToArray())
        {
            await connection.SendAsync([b]);
        }

        await connection.ExpectReplyAsync(SmtpReplies.Queued("m1"));
        var content = Encoding.UTF8.GetString(spool.Get("m1").Content.Span);
        Assert.StartsWith("Received: from client.example ([127.0.0.1])\r\n", content, StringComparison.Ordinal);
        Assert.EndsWith("\r\nSubject: hi\r\n\r\n.stuffed\r\nbody\r\n", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_pipelined_behind_the_final_dot_are_answered_after_the_commit()
    {
        var spool = new GatedSpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await connection.ExpectReadRequestAsync();

        await connection.SendAsync("Subject: one\r\n\r\nHello\r\n.\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<c@example.org>\r\n");
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);
        await connection.ExpectSilenceAsync(TimeSpan.FromMilliseconds(200));
        spool.Release();

        await connection.ExpectRepliesAsync(SmtpReplies.Queued("m1"), SmtpReplies.SenderOk, SmtpReplies.RecipientOk);
        await queue.ExpectMsgAsync(new QueueProtocol.MessageSpooled("m1"));
    }

    [Fact]
    public async Task Quit_pipelined_behind_the_final_dot_closes_only_after_the_250()
    {
        var spool = new GatedSpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nHello\r\n.\r\nQUIT\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);
        Assert.False(connection.CloseRequested);
        spool.Release();

        await connection.ExpectRepliesAsync(SmtpReplies.Queued("m1"), SmtpReplies.Closing(TestSettings.Hostname));
        await connection.ExpectClosedAsync();
    }
}
