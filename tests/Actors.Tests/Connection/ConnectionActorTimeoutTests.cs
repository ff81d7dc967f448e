using Akka.TestKit.Xunit2;
using Gateway.Actors.Connection;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;
using R = Gateway.Protocol.Replies.Replies;

namespace Gateway.Actors.Tests.Connection;

/// <summary>The idle timer, shortened to 200 ms. The 30 s close timeout (client never reads) is not covered here.</summary>
public sealed class ConnectionActorTimeoutTests(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly ConnectionSettings Short = TestSettings.Connection with { IdleTimeout = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task An_idle_client_is_answered_421_and_closed()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), Short);
        Watch(connection.Session);
        await connection.HelloAsync();

        var reply = await connection.ExpectReplyAsync(R.Timeout(TestSettings.Hostname));

        Assert.Equal((421, "4.4.2"), (reply.Code, reply.Status));
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task A_client_idle_in_the_middle_of_data_is_answered_421_and_closed()
    {
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, new InMemorySpool(), queue, Short);
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nHalf a message\r\n");

        await connection.ExpectRepliesAsync(R.SenderOk, R.RecipientOk, R.StartMailInput, R.Timeout(TestSettings.Hostname));

        await connection.ExpectClosedAsync();
        await queue.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_slow_commit_is_not_cut_short_by_the_idle_timer()
    {
        var spool = new GatedSpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe(), Short);
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nHello\r\n.\r\n");
        await connection.ExpectRepliesAsync(R.SenderOk, R.RecipientOk, R.StartMailInput);
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);

        await connection.ExpectSilenceAsync(TimeSpan.FromMilliseconds(500));
        spool.Release();

        await connection.ExpectReplyAsync(R.Queued("m1"));
    }

    [Fact]
    public async Task The_idle_timer_runs_again_after_a_commit_that_outlasted_it()
    {
        var spool = new GatedSpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe(), Short);
        Watch(connection.Session);
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nHello\r\n.\r\n");
        await connection.ExpectRepliesAsync(R.SenderOk, R.RecipientOk, R.StartMailInput);
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);
        await connection.ExpectSilenceAsync(TimeSpan.FromMilliseconds(500));

        spool.Release();

        await connection.ExpectRepliesAsync(R.Queued("m1"), R.Timeout(TestSettings.Hostname));
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }
}
