using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Relay;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Relay;

/// <summary>
/// A destination's life on virtual time, with a resolver played by the test (no socket is opened): dead after a
/// failure and deferring at once with Postfix's words, revived by a flush, and gone once unused, with no job lost.
/// </summary>
public sealed class DestinationLifeTests : TestKit
{
    private static readonly Route.Relay Hop = new("mx.remote.example", 25, LookUpMx: false);
    private readonly VirtualTime _time;
    private readonly CountingResolver _resolver = new();

    public DestinationLifeTests(ITestOutputHelper output)
        : base(VirtualTime.Hocon, output) => _time = new VirtualTime(Sys);

    private IActorRef Relay() =>
        Sys.ActorOf(RelayActor.Props(new RelaySettings("mx.test.example", _resolver, Tls: null) { Clock = _time.Clock, DeadTime = TimeSpan.FromMinutes(5) }));

    private static RelayProtocol.Deliver Job(long id)
    {
        var envelope = new Protocol.Mail.Envelope(
            $"Q{id}", new Mailbox("a", "example.net"), MailParameters.None,
            [new Recipient(new Mailbox("b", "remote.example"), RcptParameters.None)], "client", "127.0.0.1", "ESMTP", DateTimeOffset.UnixEpoch);
        return new RelayProtocol.Deliver(id, Hop, new SpooledMessage(envelope, "Subject: x\r\n\r\nx\r\n"u8.ToArray()), [0]);
    }

    [Fact]
    public async Task A_dead_destination_defers_at_once_until_its_dead_time_ends_or_a_flush_revives_it()
    {
        var relay = Relay();

        relay.Tell(Job(1));
        var first = await ExpectMsgAsync<RelayProtocol.Done>();
        Assert.Equal("4.4.3 no DNS answer for mx.remote.example", Assert.Single(first.Results).Reply);
        Assert.Equal(1, _resolver.Calls);

        relay.Tell(Job(2));
        var second = await ExpectMsgAsync<RelayProtocol.Done>();
        Assert.Equal(AttemptResultKind.Deferred, second.Results[0].Kind);
        Assert.Equal("4.4.1 delivery temporarily suspended: 4.4.3 no DNS answer for mx.remote.example", second.Results[0].Reply);
        Assert.Equal(1, _resolver.Calls);

        relay.Tell(RelayProtocol.Revive.Instance);
        relay.Tell(Job(3));
        await ExpectMsgAsync<RelayProtocol.Done>();
        Assert.Equal(2, _resolver.Calls);

        // Dead again; after the dead time one connection probes.
        _time.Advance(TimeSpan.FromMinutes(5));
        relay.Tell(Job(4));
        await ExpectMsgAsync<RelayProtocol.Done>();
        Assert.Equal(3, _resolver.Calls);
    }

    [Fact]
    public async Task A_clock_set_back_an_hour_does_not_keep_a_dead_destination_dead_longer()
    {
        var relay = Relay();
        relay.Tell(Job(1));
        await ExpectMsgAsync<RelayProtocol.Done>();

        _time.StepWallClock(TimeSpan.FromHours(-1));
        _time.Advance(TimeSpan.FromMinutes(5));
        relay.Tell(Job(2));

        var probe = await ExpectMsgAsync<RelayProtocol.Done>();
        Assert.Equal("4.4.3 no DNS answer for mx.remote.example", probe.Results[0].Reply);
        Assert.Equal(2, _resolver.Calls);
    }

    [Fact]
    public async Task A_clock_set_forward_does_not_end_the_dead_time_early()
    {
        var relay = Relay();
        relay.Tell(Job(1));
        await ExpectMsgAsync<RelayProtocol.Done>();

        _time.StepWallClock(TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromMinutes(4));
        relay.Tell(Job(2));

        var suspended = await ExpectMsgAsync<RelayProtocol.Done>();
        Assert.StartsWith("4.4.1 delivery temporarily suspended", suspended.Results[0].Reply, StringComparison.Ordinal);
        Assert.Equal(1, _resolver.Calls);
    }

    [Fact]
    public async Task An_unused_destination_is_stopped_and_the_next_message_makes_a_new_one()
    {
        var relay = Relay();
        relay.Tell(Job(1));
        await ExpectMsgAsync<RelayProtocol.Done>();
        relay.Tell(RelayProtocol.GetDestinations.Instance);
        var before = Assert.Single((await ExpectMsgAsync<RelayProtocol.Destinations>()).Names);
        var destination = await Sys.ActorSelection(relay.Path / "*").ResolveOne(RemainingOrDefault);
        Watch(destination);

        _time.Advance(DestinationActor.IdleLife);

        await ExpectTerminatedAsync(destination);
        relay.Tell(RelayProtocol.GetDestinations.Instance);
        Assert.Empty((await ExpectMsgAsync<RelayProtocol.Destinations>()).Names);
        relay.Tell(Job(2));
        Assert.Equal(2, (await ExpectMsgAsync<RelayProtocol.Done>()).JobId);
        Assert.Equal(Hop.ToString(), before);
    }

    /// <summary>Every lookup fails for now (SERVFAIL), and is counted: a lookup is a connection attempt.</summary>
    private sealed class CountingResolver : INextHopResolver
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<NextHops> ResolveAsync(Route.Relay destination, CancellationToken cancel)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult<NextHops>(new NextHops.Temporary($"4.4.3 no DNS answer for {destination.Host}"));
        }
    }
}
