using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Relay;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Queue;

/// <summary>
/// The wall clock stepped while messages wait (an operator's date, NTP stepping a clock that was far off): retries
/// keep the waits measured on the monotonic clock, a step back starves nothing, and a step forward neither fires a
/// retry early nor ages a message past its lifetime.
/// </summary>
public sealed class QueueClockJumpTests : TestKit
{
    private static readonly string Refused = "4.4.1 connect to mx.remote.example[192.0.2.1]:25: Connection refused";
    private readonly VirtualTime _time;
    private IActorRef _queue = ActorRefs.Nobody;

    public QueueClockJumpTests(ITestOutputHelper output)
        : base(VirtualTime.Hocon, output) => _time = new VirtualTime(Sys);

    [Fact]
    public async Task A_deferred_message_is_tried_again_after_its_wait_when_the_clock_is_set_back_an_hour()
    {
        var (spool, relay, _) = await DeferredOnceAsync();

        _time.StepWallClock(TimeSpan.FromHours(-1));
        _time.Advance(TimeSpan.FromSeconds(300));

        await relay.ExpectMsgAsync<RelayProtocol.Deliver>(hint: $"the retry 300 s later, entry {spool.Get("q1").State}");
    }

    [Fact]
    public async Task A_clock_set_forward_past_the_lifetime_neither_fires_the_retry_early_nor_bounces_the_message()
    {
        var (spool, relay, delivery) = await DeferredOnceAsync();

        _time.StepWallClock(TimeSpan.FromDays(6));
        _time.Advance(TimeSpan.FromSeconds(299));
        await relay.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        _time.Advance(TimeSpan.FromSeconds(1));
        var deliver = await relay.ExpectMsgAsync<RelayProtocol.Deliver>();
        relay.Reply(new RelayProtocol.Done(deliver.JobId, [new AttemptResult(0, AttemptResultKind.Deferred, Refused)]));

        await AwaitAssertAsync(() => Assert.Equal(2, spool.Get("q1").State?.FailedAttempts), interval: TestKitConfig.Poll);
        var entry = spool.Get("q1").State!;
        Assert.Equal(RecipientState.Pending, entry.Recipients[0].State);
        Assert.False(entry.DelayWarned);
        Assert.Empty(delivery.Messages);
    }

    [Fact]
    public async Task A_message_recovered_after_the_clock_was_set_back_waits_no_longer_than_its_retry_interval()
    {
        var spool = new InMemorySpool();
        var now = _time.Clock.GetUtcNow();
        spool.Seed("q1", new Mailbox("alice", "example.net"), now, "bob@remote.example");
        // Saved by the last run at a wall clock an hour ahead of this one's: next attempt 300 s after that.
        await spool.SaveStateAsync(QueueEntry.New("q1", now, 1) with { FailedAttempts = 1, NextAttempt = now + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(300) });
        var relay = CreateTestProbe();
        _queue = Sys.ActorOf(QueueActor.Props(spool, new FakeDelivery(), relay, Settings()));
        await spool.Listed;
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatusAsync()).Scheduled), interval: TestKitConfig.Poll);

        _time.Advance(TimeSpan.FromSeconds(300));

        await relay.ExpectMsgAsync<RelayProtocol.Deliver>();
    }

    private QueueSettings Settings() =>
        QueueActorTests.Settings(10, TimeSpan.FromSeconds(300), isLocal: d => d == "example.net") with
        {
            Schedule = RetrySchedule.Default,
            Clock = _time.Clock,
        };

    /// <summary>One message to an unreachable destination, after its first attempt: waiting 300 s for the next.</summary>
    private async Task<(InMemorySpool Spool, Akka.TestKit.TestProbe Relay, FakeDelivery Delivery)> DeferredOnceAsync()
    {
        var spool = new InMemorySpool();
        spool.Seed("q1", new Mailbox("alice", "example.net"), _time.Clock.GetUtcNow(), "bob@remote.example");
        var delivery = new FakeDelivery();
        var relay = CreateTestProbe();
        _queue = Sys.ActorOf(QueueActor.Props(spool, delivery, relay, Settings()));
        var deliver = await relay.ExpectMsgAsync<RelayProtocol.Deliver>();
        relay.Reply(new RelayProtocol.Done(deliver.JobId, [new AttemptResult(0, AttemptResultKind.Deferred, Refused)]));
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatusAsync()).Scheduled), interval: TestKitConfig.Poll);
        return (spool, relay, delivery);
    }

    private async Task<QueueProtocol.QueueStatus> StatusAsync()
    {
        _queue.Tell(QueueProtocol.GetQueueStatus.Instance, TestActor);
        return await ExpectMsgAsync<QueueProtocol.QueueStatus>();
    }
}
