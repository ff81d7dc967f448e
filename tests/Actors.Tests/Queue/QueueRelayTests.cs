using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Relay;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Queue;

/// <summary>
/// The queue with remote recipients, the relay played by the test: routing into destinations and parts of 50, the
/// retry schedule and the lifetime on virtual time (days in no real time), the delay warning and the bounce at the end.
/// </summary>
public sealed class QueueRelayTests : TestKit
{
    private readonly VirtualTime _time;

    public QueueRelayTests(ITestOutputHelper output)
        : base(VirtualTime.Hocon, output) => _time = new VirtualTime(Sys);

    private QueueSettings Settings(int concurrency = 10) =>
        QueueActorTests.Settings(concurrency, TimeSpan.FromSeconds(300), isLocal: d => d == "example.net") with
        {
            Schedule = RetrySchedule.Default,
            Clock = _time.Clock,
        };

    [Fact]
    public async Task Recipients_are_grouped_by_destination_in_transactions_of_at_most_50_and_local_ones_go_to_the_Maildir()
    {
        var spool = new InMemorySpool();
        var remote = Enumerable.Range(0, 60).Select(i => $"r{i}@remote.example").ToArray();
        spool.Seed("q1", new Mailbox("alice", "example.net"), _time.Clock.GetUtcNow(), [.. remote, "x@other.example", "me@example.net"]);
        var delivery = new FakeDelivery();
        var relay = CreateTestProbe();

        Sys.ActorOf(QueueActor.Props(spool, delivery, relay, Settings()));

        var parts = new List<RelayProtocol.Deliver>();
        for (var i = 0; i < 3; i++)
        {
            parts.Add(await relay.ExpectMsgAsync<RelayProtocol.Deliver>());
        }

        var toRemote = parts.Where(p => p.Destination == new Route.Relay("remote.example", 25, LookUpMx: true)).ToList();
        Assert.Equal([50, 10], toRemote.Select(p => p.Recipients.Count));
        Assert.Equal(Enumerable.Range(0, 60), toRemote.SelectMany(p => p.Recipients));
        var other = Assert.Single(parts, p => p.Destination.Host == "other.example");
        Assert.Equal([60], other.Recipients);
        await AwaitAssertAsync(() => Assert.Equal([61], Assert.Single(delivery.Attempts).Recipients), interval: TestKitConfig.Poll);

        foreach (var part in parts)
        {
            relay.Reply(new RelayProtocol.Done(part.JobId, [.. part.Recipients.Select(i => new AttemptResult(i, AttemptResultKind.Delivered, "250 ok", part.Destination.Host))]));
        }

        await AwaitAssertAsync(() => Assert.Equal(["q1"], spool.Removed), interval: TestKitConfig.Poll);
    }

    [Fact]
    public async Task An_unreachable_destination_is_retried_on_the_schedule_warned_about_after_4_hours_and_bounced_after_5_days()
    {
        var spool = new InMemorySpool();
        var start = _time.Clock.GetUtcNow();
        spool.Seed("q1", new Mailbox("alice", "example.net"), start, "bob@remote.example");
        var delivery = new FakeDelivery();
        var relay = CreateTestProbe();
        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, relay, Settings()));

        var attempts = new List<DateTimeOffset>();
        while (true)
        {
            var deliver = await relay.ExpectMsgAsync<RelayProtocol.Deliver>(hint: $"attempt {attempts.Count + 1} at {_time.Clock.GetUtcNow() - start}, entry {spool.Get("q1").State}");
            attempts.Add(_time.Clock.GetUtcNow());
            relay.Reply(new RelayProtocol.Done(deliver.JobId, [new AttemptResult(0, AttemptResultKind.Deferred, "4.4.1 connect to mx.remote.example[192.0.2.1]:25: Connection refused")]));

            // Settled: either waiting for its next attempt, or gone (bounced).
            var status = await SettledAsync(queue);
            if (status.Scheduled == 0)
            {
                break;
            }

            var entry = spool.Get("q1").State!;
            _time.Advance(entry.NextAttempt!.Value - _time.Clock.GetUtcNow());
        }

        // Postfix's back-off: 300 s doubling to 4000 s; the last attempt at the end of the 5 days.
        var waits = attempts.Zip(attempts.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal([300, 600, 1200, 2400, 4000, 4000], waits.Take(6));
        Assert.Equal(start.AddDays(5), attempts[^1]);

        // Two reports to alice, in the Maildir: the delay warning after 4 hours, then the failure.
        await AwaitAssertAsync(() => Assert.Equal(2, delivery.Messages.Count), interval: TestKitConfig.Poll);
        var warning = Encoding.UTF8.GetString(delivery.Messages[0].Content.Span);
        var failure = Encoding.UTF8.GetString(delivery.Messages[1].Content.Span);
        Assert.All(delivery.Messages, m => Assert.Null(m.Envelope.ReversePath));
        Assert.All(delivery.Messages, m => Assert.Equal("alice@example.net", m.Envelope.Recipients[0].Address.ToString()));
        Assert.Contains("Action: delayed", warning, StringComparison.Ordinal);
        Assert.Contains("Action: failed", failure, StringComparison.Ordinal);
        Assert.Contains("Status: 4.4.1", failure, StringComparison.Ordinal);
        Assert.Contains("Connection refused", failure, StringComparison.Ordinal);
        Assert.Contains("q1", spool.Removed);
    }

    [Fact]
    public async Task A_report_that_cannot_be_spooled_keeps_the_original_and_is_written_at_the_next_attempt()
    {
        var spool = new FailingSpool(failures: 1);
        spool.Stored.Seed("q1", new Mailbox("alice", "example.net"), _time.Clock.GetUtcNow(), "bob@remote.example");
        var delivery = new FakeDelivery();
        var relay = CreateTestProbe();
        var queue = Sys.ActorOf(QueueActor.Props(spool, delivery, relay, Settings()));

        var deliver = await relay.ExpectMsgAsync<RelayProtocol.Deliver>();
        relay.Reply(new RelayProtocol.Done(deliver.JobId, [new AttemptResult(0, AttemptResultKind.Failed, "550 5.1.1 user unknown", "mx.remote.example")]));

        // The disk is full: the original stays, failed but not yet reported, and is looked at again after the first wait.
        await SettledAsync(queue);
        var entry = spool.Stored.Get("q1").State!;
        Assert.Equal(RecipientState.Failed, entry.Recipients[0].State);
        Assert.False(entry.Recipients[0].Reported);
        Assert.Empty(delivery.Attempts);

        _time.Advance(TimeSpan.FromSeconds(300));

        await AwaitAssertAsync(() => Assert.Single(delivery.Messages), interval: TestKitConfig.Poll);
        Assert.Contains("550 5.1.1 user unknown", Encoding.UTF8.GetString(delivery.Messages[0].Content.Span), StringComparison.Ordinal);
        await AwaitAssertAsync(() => Assert.Contains("q1", spool.Stored.Removed), interval: TestKitConfig.Poll);
        relay.ExpectNoMsg(TimeSpan.Zero);
    }

    /// <summary>Waits until nothing is due or in flight (timers do not fire: virtual time stands still).</summary>
    private async Task<QueueProtocol.QueueStatus> SettledAsync(IActorRef queue)
    {
        QueueProtocol.QueueStatus? settled = null;
        await AwaitAssertAsync(async () =>
        {
            queue.Tell(QueueProtocol.GetQueueStatus.Instance, TestActor);
            var status = await ExpectMsgAsync<QueueProtocol.QueueStatus>();
            Assert.Equal(0, status.InFlight + status.Waiting);
            settled = status;
        }, interval: TestKitConfig.Poll);
        return settled!;
    }
}
