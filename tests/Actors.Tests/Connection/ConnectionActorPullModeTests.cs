using Gateway.Protocol.Replies;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>Akka.IO pull mode: the session asks for the next chunk only when it has nothing in flight.</summary>
public sealed class ConnectionActorPullModeTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task No_read_is_requested_until_the_greeting_is_acknowledged()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        connection.AutoAck = false;

        await connection.ExpectReplyAsync(220);

        await connection.ExpectSilenceAsync(Quiet);
        connection.AckOne();
        await connection.ExpectReadRequestAsync();
    }

    [Fact]
    public async Task No_read_is_requested_while_the_replies_to_a_pipelined_group_are_unacknowledged()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        connection.AutoAck = false;
        await connection.ExpectReplyAsync(220);
        connection.AckOne();
        await connection.ExpectReadRequestAsync();

        await connection.SendAsync("EHLO client.example\r\nNOOP\r\n");

        await connection.ExpectReplyAsync(250);
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
        await connection.ExpectSilenceAsync(Quiet);
        connection.AckOne();
        await connection.ExpectReadRequestAsync();
        Assert.Equal(2, connection.ReadRequests);
    }

    [Fact]
    public async Task No_read_is_requested_while_the_spool_commit_is_pending()
    {
        var spool = new GatedSpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await connection.ExpectReadRequestAsync();

        await connection.SendAsync("Hello\r\n.\r\n");
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);

        await connection.ExpectSilenceAsync(Quiet);
        spool.Release();
        await connection.ExpectReplyAsync(SmtpReplies.Queued("m1"));
        await connection.ExpectReadRequestAsync();
    }

    [Fact]
    public async Task A_partial_line_asks_for_more_without_writing()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();
        await connection.ExpectReadRequestAsync();
        var writes = connection.Writes;

        await connection.SendAsync("NO");

        await connection.ExpectReadRequestAsync();
        Assert.Equal(writes, connection.Writes);
        await connection.SendAsync("OP\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }
}
