using Akka.TestKit.Xunit2;
using Gateway.Actors.Connection;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Replies;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>
/// The idle timer, in virtual time (<see cref="VirtualTime"/>): the timeout is the real 5 minutes, and a test moves the
/// clock past it or short of it. Silence before the deadline is shown by order, not by waiting: a NOOP sent after the
/// clock moved is answered 250 before anything else, so no timeout fired. The 30 s close timeout (a client that never
/// reads our last reply) is not covered here.
/// </summary>
public sealed class ConnectionActorTimeoutTests : TestKit
{
    private const string Transaction = "EHLO client.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n";

    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(1);

    private readonly VirtualTime _time;

    public ConnectionActorTimeoutTests(ITestOutputHelper output)
        : base(VirtualTime.Hocon, output)
    {
        _time = new VirtualTime(Sys);
    }

    private ConnectionSettings Settings => TestSettings.Connection with { IdleTimeout = Idle, Clock = _time.Clock };

    [Fact]
    public async Task A_silent_client_is_answered_421_and_closed()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), Settings);
        Watch(connection.Session);
        await connection.ExpectReplyAsync(220);

        _time.Advance(Idle);

        var reply = await connection.ExpectReplyAsync(SmtpReplies.Timeout(TestSettings.Hostname));
        Assert.Equal((421, "4.4.2"), (reply.Code, reply.Status));
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task A_client_that_speaks_just_before_the_deadline_keeps_its_session()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), Settings);
        await connection.ExpectReplyAsync(220);

        _time.Advance(Idle - Moment);
        await connection.SendAsync("NOOP\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.Ok);

        // The NOOP put the deadline off by a whole period: just short of it, still nothing.
        _time.Advance(Idle - Moment);
        await connection.SendAsync("NOOP\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.Ok);

        _time.Advance(Idle);
        await connection.ExpectReplyAsync(SmtpReplies.Timeout(TestSettings.Hostname));
    }

    [Fact]
    public async Task A_client_idle_in_the_middle_of_data_is_answered_421_and_nothing_is_queued()
    {
        var queue = CreateTestProbe();
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, queue, Settings);
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync(Transaction + "Half a message\r\n");
        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        _time.Advance(Idle);

        await connection.ExpectReplyAsync(SmtpReplies.Timeout(TestSettings.Hostname));
        await connection.ExpectClosedAsync();
        await queue.ExpectNoMsgAsync(TimeSpan.Zero);
        Assert.Empty(spool.Ids);
    }

    [Fact]
    public async Task A_commit_slower_than_the_idle_timer_is_not_cut_short()
    {
        var spool = new GatedSpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe(), Settings);
        await connection.ExpectReplyAsync(220);
        await connection.SendAsync(Transaction + "Hello\r\n.\r\n");
        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);

        _time.Advance(Idle * 3);
        spool.Release();

        // Had the timer cut the commit short, 421 would come first.
        await connection.ExpectReplyAsync(SmtpReplies.Queued("m1"));
        await connection.SendAsync("NOOP\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    [Fact]
    public async Task The_idle_timer_runs_again_after_a_commit_that_outlasted_it()
    {
        var spool = new GatedSpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe(), Settings);
        Watch(connection.Session);
        await connection.ExpectReplyAsync(220);
        await connection.SendAsync(Transaction + "Hello\r\n.\r\n");
        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);
        _time.Advance(Idle * 3);

        spool.Release();
        await connection.ExpectReplyAsync(SmtpReplies.Queued("m1"));
        _time.Advance(Idle);

        await connection.ExpectReplyAsync(SmtpReplies.Timeout(TestSettings.Hostname));
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }
}
