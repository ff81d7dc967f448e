using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Queue;

public sealed class QueueActorTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private static readonly TimeSpan LongRetry = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Messages_left_in_the_spool_are_delivered_at_start_as_possible_repeats_and_removed()
    {
        var spool = new InMemorySpool();
        spool.Seed("old1");
        spool.Seed("old2");
        var delivery = new FakeDelivery();

        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, concurrency: 1, LongRetry));

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 2, Deferred: 0));
        Assert.Equal([new DeliveryAttempt("old1", true), new DeliveryAttempt("old2", true)], delivery.Attempts);
        Assert.Equal(["old1", "old2"], spool.Removed);
        Assert.Empty(spool.Ids);
    }

    [Fact]
    public async Task A_spool_that_cannot_be_listed_at_start_is_listed_again_after_the_retry_delay()
    {
        var spool = new ListFailingSpool(failures: 2);
        spool.Stored.Seed("old1");
        var delivery = new FakeDelivery();

        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, concurrency: 1, TimeSpan.FromMilliseconds(50)));

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 0));
        Assert.Equal([new DeliveryAttempt("old1", true)], delivery.Attempts);
    }

    [Fact]
    public async Task An_announced_message_is_delivered_as_a_first_attempt()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery();
        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, concurrency: 1, LongRetry));
        await spool.Listed.WaitAsync(RemainingOrDefault);
        spool.Seed("m1");

        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 0));
        Assert.Equal([new DeliveryAttempt("m1", false)], delivery.Attempts);
        Assert.Equal(["m1"], spool.Removed);
    }

    [Fact]
    public async Task No_more_than_the_concurrency_limit_are_delivered_at_once()
    {
        var spool = new InMemorySpool();
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            spool.Seed(id);
        }

        var delivery = new FakeDelivery(gated: true);
        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, concurrency: 2, LongRetry));

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(Waiting: 3, InFlight: 2, 0, 0));
        await AwaitAssertAsync(() => Assert.Equal(2, delivery.Attempts.Count), interval: TestKitConfig.Poll);
        delivery.Release();
        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 5, Deferred: 0));
        Assert.Equal(2, delivery.MostAtOnce);
        Assert.Equal(5, delivery.Attempts.Count);
    }

    [Fact]
    public async Task A_deferred_message_is_retried_after_the_retry_delay_as_a_possible_repeat()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery();
        delivery.FailOnce("m1");
        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, concurrency: 1, TimeSpan.FromMilliseconds(100)));
        await spool.Listed.WaitAsync(RemainingOrDefault);
        spool.Seed("m1");

        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 1));
        Assert.Equal([new DeliveryAttempt("m1", false), new DeliveryAttempt("m1", true)], delivery.Attempts);
        Assert.Equal(["m1"], spool.Removed);
    }

    [Fact]
    public async Task A_deferred_message_waits_in_the_spool_until_its_retry()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery();
        delivery.FailOnce("m1");
        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, concurrency: 1, LongRetry));
        await spool.Listed.WaitAsync(RemainingOrDefault);
        spool.Seed("m1");

        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 0, Deferred: 1));
        Assert.Equal(["m1"], spool.Ids);
        Assert.Empty(spool.Removed);
    }

    [Fact]
    public async Task A_message_announced_twice_is_delivered_once()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery(gated: true);
        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, concurrency: 2, LongRetry));
        await spool.Listed.WaitAsync(RemainingOrDefault);
        spool.Seed("m1");

        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);
        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, InFlight: 1, 0, 0));
        delivery.Release();
        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 0));
        Assert.Single(delivery.Attempts);
    }

    [Fact]
    public async Task A_recovered_message_that_is_also_announced_is_delivered_once()
    {
        var spool = new InMemorySpool();
        spool.Seed("m1");
        var delivery = new FakeDelivery(gated: true);

        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, concurrency: 2, LongRetry));
        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await spool.Listed.WaitAsync(RemainingOrDefault);
        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, InFlight: 1, 0, 0));
        delivery.Release();
        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 0));
        Assert.Single(delivery.Attempts);
    }

    private async Task AwaitStatusAsync(IActorRef queue, QueueProtocol.QueueStatus expected) =>
        await AwaitAssertAsync(async () =>
        {
            queue.Tell(QueueProtocol.GetQueueStatus.Instance, TestActor);
            Assert.Equal(expected, await ExpectMsgAsync<QueueProtocol.QueueStatus>());
        }, interval: TestKitConfig.Poll);
}
