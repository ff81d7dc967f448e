using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Delivery;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Delivery;

public sealed class DeliveryActorTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_delivered_message_is_removed_from_the_spool(bool mayBeRepeat)
    {
        var spool = new InMemorySpool();
        spool.Seed("m1");
        var next = new FakeDelivery();
        var delivery = Sys.ActorOf(DeliveryActor.Props(spool, next));

        delivery.Tell(new DeliveryActor.Deliver("m1", mayBeRepeat), TestActor);

        await ExpectMsgAsync(new DeliveryOutcome.Delivered("m1"));
        Assert.Equal([new DeliveryAttempt("m1", mayBeRepeat)], next.Attempts);
        Assert.Equal(["m1"], spool.Removed);
    }

    [Fact]
    public async Task A_failed_delivery_is_deferred_and_the_message_stays_in_the_spool()
    {
        var spool = new InMemorySpool();
        spool.Seed("m1");
        var next = new FakeDelivery();
        next.FailOnce("m1");
        var delivery = Sys.ActorOf(DeliveryActor.Props(spool, next));

        delivery.Tell(new DeliveryActor.Deliver("m1", false), TestActor);

        var outcome = await ExpectMsgAsync<DeliveryOutcome.Deferred>();
        Assert.Equal("m1", outcome.Id);
        Assert.Contains("next hop unavailable", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(["m1"], spool.Ids);
        Assert.Empty(spool.Removed);
    }

    [Fact]
    public async Task A_message_no_longer_in_the_spool_counts_as_delivered_without_a_new_attempt()
    {
        var spool = new InMemorySpool();
        var next = new FakeDelivery();
        var delivery = Sys.ActorOf(DeliveryActor.Props(spool, next));

        delivery.Tell(new DeliveryActor.Deliver("gone", true), TestActor);

        await ExpectMsgAsync(new DeliveryOutcome.Delivered("gone"));
        Assert.Empty(next.Attempts);
    }

    [Fact]
    public async Task Deliveries_run_concurrently_and_each_outcome_goes_to_its_requester()
    {
        var spool = new InMemorySpool();
        spool.Seed("m1");
        spool.Seed("m2");
        var next = new FakeDelivery(gated: true);
        var delivery = Sys.ActorOf(DeliveryActor.Props(spool, next));
        var first = CreateTestProbe();
        var second = CreateTestProbe();

        delivery.Tell(new DeliveryActor.Deliver("m1", false), first.Ref);
        delivery.Tell(new DeliveryActor.Deliver("m2", false), second.Ref);

        await AwaitAssertAsync(() => Assert.Equal(2, next.Attempts.Count), interval: TestKitConfig.Poll);
        next.Release();
        await first.ExpectMsgAsync(new DeliveryOutcome.Delivered("m1"));
        await second.ExpectMsgAsync(new DeliveryOutcome.Delivered("m2"));
    }
}
