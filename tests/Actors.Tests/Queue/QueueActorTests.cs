using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Queue;

/// <summary>The queue with local delivery only (every domain local): recovery, concurrency, deferral and retry.</summary>
public sealed class QueueActorTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private static readonly TimeSpan LongRetry = TimeSpan.FromMinutes(10);

    internal static QueueSettings Settings(int concurrency, TimeSpan retry, Func<string, bool>? isLocal = null, IReadOnlyDictionary<string, string>? routes = null) =>
        new("mx.test.example", concurrency, RouteTable.Build(routes ?? new Dictionary<string, string>(), null, isLocal ?? (_ => true), out _)!,
            new RetrySchedule(retry, retry * 8, TimeSpan.FromDays(5), TimeSpan.FromHours(4)))
        {
            ListRetry = retry,
        };

    private IActorRef Queue(ISpool spool, FakeDelivery delivery, int concurrency, TimeSpan retry) =>
        Sys.ActorOf(QueueActor.Props(spool, delivery, ActorRefs.Nobody, Settings(concurrency, retry)));

    [Fact]
    public async Task Messages_left_in_the_spool_are_delivered_at_start_as_possible_repeats_and_removed()
    {
        var spool = new InMemorySpool();
        spool.Seed("old1");
        spool.Seed("old2");
        var delivery = new FakeDelivery();

        var queue = Queue(spool, delivery, concurrency: 1, LongRetry);

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

        var queue = Queue(spool, delivery, concurrency: 1, TimeSpan.FromMilliseconds(50));

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 0));
        Assert.Equal([new DeliveryAttempt("old1", true)], delivery.Attempts);
    }

    [Fact]
    public async Task An_announced_message_is_delivered_as_a_first_attempt()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery();
        var queue = Queue(spool, delivery, concurrency: 1, LongRetry);
        await spool.Listed.WaitAsync(RemainingOrDefault);
        spool.Seed("m1");

        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 0));
        Assert.Equal([new DeliveryAttempt("m1", false)], delivery.Attempts);
        Assert.Equal(["m1"], spool.Removed);
    }

    [Fact]
    public async Task A_message_no_longer_in_the_spool_is_forgotten_without_an_attempt()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery();
        var queue = Queue(spool, delivery, concurrency: 1, LongRetry);
        await spool.Listed.WaitAsync(RemainingOrDefault);

        queue.Tell(new QueueProtocol.MessageSpooled("gone"), ActorRefs.NoSender);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 0, Deferred: 0));
        Assert.Empty(delivery.Attempts);
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
        var queue = Queue(spool, delivery, concurrency: 2, LongRetry);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(Waiting: 3, InFlight: 2, 0, 0));
        await AwaitAssertAsync(() => Assert.Equal(2, delivery.Attempts.Count), interval: TestKitConfig.Poll);
        delivery.Release();
        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 5, Deferred: 0));
        Assert.Equal(2, delivery.MostAtOnce);
        Assert.Equal(5, delivery.Attempts.Count);
    }

    [Fact]
    public async Task A_deferred_message_is_retried_after_the_first_wait_as_a_possible_repeat()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery();
        delivery.FailOnce("m1");
        var queue = Queue(spool, delivery, concurrency: 1, TimeSpan.FromMilliseconds(100));
        await spool.Listed.WaitAsync(RemainingOrDefault);
        spool.Seed("m1");

        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 1));
        Assert.Equal([new DeliveryAttempt("m1", false), new DeliveryAttempt("m1", true)], delivery.Attempts);
        Assert.Equal(["m1"], spool.Removed);
    }

    [Fact]
    public async Task A_deferred_message_waits_in_the_spool_with_its_entry_saved()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery();
        delivery.FailOnce("m1");
        var queue = Queue(spool, delivery, concurrency: 1, LongRetry);
        await spool.Listed.WaitAsync(RemainingOrDefault);
        spool.Seed("m1");

        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 0, Deferred: 1) { Scheduled = 1 });
        Assert.Equal(["m1"], spool.Ids);
        Assert.Empty(spool.Removed);
        var entry = Assert.Single(spool.Saved);
        Assert.Equal(1, entry.FailedAttempts);
        Assert.Equal(RecipientState.Pending, entry.Recipients[0].State);
        Assert.StartsWith("4.3.0 maildir delivery failed", entry.LastError, StringComparison.Ordinal);

        // The status's queue by destination: the recipient's domain, and why it waits.
        queue.Tell(QueueProtocol.GetQueueStatus.Instance, TestActor);
        var destination = Assert.Single((await ExpectMsgAsync<QueueProtocol.QueueStatus>()).Destinations);
        Assert.Equal(("example.org", 1, 1), (destination.Domain, destination.Messages, destination.Recipients));
        Assert.StartsWith("4.3.0 maildir delivery failed", destination.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_announced_twice_is_delivered_once()
    {
        var spool = new InMemorySpool();
        var delivery = new FakeDelivery(gated: true);
        var queue = Queue(spool, delivery, concurrency: 2, LongRetry);
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

        var queue = Queue(spool, delivery, concurrency: 2, LongRetry);
        queue.Tell(new QueueProtocol.MessageSpooled("m1"), ActorRefs.NoSender);

        await spool.Listed.WaitAsync(RemainingOrDefault);
        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, InFlight: 1, 0, 0));
        delivery.Release();
        await AwaitStatusAsync(queue, new QueueProtocol.QueueStatus(0, 0, Delivered: 1, Deferred: 0));
        Assert.Single(delivery.Attempts);
    }

    internal async Task AwaitStatusAsync(IActorRef queue, QueueProtocol.QueueStatus expected) =>
        await AwaitAssertAsync(async () =>
        {
            queue.Tell(QueueProtocol.GetQueueStatus.Instance, TestActor);
            var actual = await ExpectMsgAsync<QueueProtocol.QueueStatus>();

            // Oldest is a time (the metrics' queue age): known exactly when something is queued. Destinations is a list
            // (compared by reference in a record): empty when nothing waits.
            Assert.Equal(expected, actual with { Oldest = null, Destinations = expected.Destinations });
            Assert.True(actual.Destinations.Count == 0 || actual.Waiting + actual.InFlight + actual.Scheduled + actual.Held > 0);
            Assert.Equal(expected.Waiting + expected.InFlight + expected.Scheduled + expected.Held > 0, actual.Oldest is not null);
        }, interval: TestKitConfig.Poll);
}
