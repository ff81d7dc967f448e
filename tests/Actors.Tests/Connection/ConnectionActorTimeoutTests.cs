using Gateway.Protocol.Replies;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Connection;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>
/// The idle timer, shortened. Where the client must act before the timer fires, the timer is 1 s
/// and the client acts once, so a busy machine cannot make the test race it. The 30 s close
/// timeout (a client that never reads our last reply) is not covered here.
/// </summary>
public sealed class ConnectionActorTimeoutTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private const string Transaction = "EHLO client.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n";

    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    private static ConnectionSettings WithIdle(TimeSpan idle) => TestSettings.Connection with { IdleTimeout = idle };

    [Fact]
    public async Task A_silent_client_is_answered_421_and_closed()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), WithIdle(TimeSpan.FromMilliseconds(200)));
        Watch(connection.Session);
        await connection.ExpectReplyAsync(220);

        var reply = await connection.ExpectReplyAsync(SmtpReplies.Timeout(TestSettings.Hostname));

        Assert.Equal((421, "4.4.2"), (reply.Code, reply.Status));
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task A_client_idle_in_the_middle_of_data_is_answered_421_and_nothing_is_queued()
    {
        var queue = CreateTestProbe();
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, queue, WithIdle(Idle));
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync(Transaction + "Half a message\r\n");

        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Timeout(TestSettings.Hostname));
        await connection.ExpectClosedAsync();
        await queue.ExpectNoMsgAsync(TimeSpan.Zero);
        Assert.Empty(spool.Ids);
    }

    [Fact]
    public async Task A_commit_slower_than_the_idle_timer_is_not_cut_short()
    {
        var spool = new GatedSpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe(), WithIdle(Idle));
        await connection.ExpectReplyAsync(220);
        await connection.SendAsync(Transaction + "Hello\r\n.\r\n");
        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);

        await connection.ExpectSilenceAsync(Idle * 1.5);
        spool.Release();

        await connection.ExpectReplyAsync(SmtpReplies.Queued("m1"));
    }

    [Fact]
    public async Task The_idle_timer_runs_again_after_a_commit_that_outlasted_it()
    {
        var spool = new GatedSpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe(), WithIdle(Idle));
        Watch(connection.Session);
        await connection.ExpectReplyAsync(220);
        await connection.SendAsync(Transaction + "Hello\r\n.\r\n");
        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);
        await connection.ExpectSilenceAsync(Idle * 1.5);

        spool.Release();

        await connection.ExpectRepliesAsync(SmtpReplies.Queued("m1"), SmtpReplies.Timeout(TestSettings.Hostname));
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }
}
