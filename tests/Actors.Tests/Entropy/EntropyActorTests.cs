using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Entropy;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Entropy;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;
using Xunit.Abstractions;
using static Gateway.Actors.Entropy.EntropyProtocol;

namespace Gateway.Actors.Tests.Entropy;

public sealed class EntropyActorTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private static readonly TimeSpan LongInterval = TimeSpan.FromMinutes(10);

    private static readonly DateTimeOffset Instant = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(SeedStatus.Ok)]
    [InlineData(SeedStatus.Weak)]
    [InlineData(SeedStatus.Failed)]
    public async Task The_first_outcome_is_told_to_the_subscriber_as_Seeded(SeedStatus status)
    {
        var outcome = new SeedOutcome(status, 64, status == SeedStatus.Ok ? [] : ["STARTTLS: something"]);
        var source = new FakeEntropySource(new EntropyReading(Material(64, 1), outcome));
        var subscriber = CreateTestProbe();

        Sys.ActorOf(EntropyActor.Props(source, NewGenerator(), LongInterval, subscriber));

        Assert.Same(outcome, (await subscriber.ExpectMsgAsync<Seeded>()).Outcome);
    }

    [Fact]
    public async Task An_actor_stopped_before_its_first_reading_tells_the_subscriber_it_is_not_seeded()
    {
        var subscriber = CreateTestProbe();
        var actor = Sys.ActorOf(EntropyActor.Props(new FakeEntropySource(), NewGenerator(), LongInterval, subscriber));

        Sys.Stop(actor);

        var seeded = await subscriber.ExpectMsgAsync<Seeded>();
        Assert.Equal(SeedStatus.Failed, seeded.Outcome.Status);
        Assert.Equal(["entropy actor stopped before seeding"], seeded.Outcome.Log);
    }

    [Fact]
    public async Task The_status_reports_source_state_bytes_seedings_and_no_failure_after_a_good_seeding()
    {
        var source = new FakeEntropySource(Ok(Material(48, 1)));
        var subscriber = CreateTestProbe();

        var actor = Sys.ActorOf(EntropyActor.Props(source, NewGenerator(), LongInterval, subscriber, new FixedTimeProvider(Instant)));
        await subscriber.ExpectMsgAsync<Seeded>();

        Assert.Equal(new EntropyStatus("fake:entropy", SeedStatus.Ok, 48, Instant, 1, null), await StatusAsync(actor));
    }

    [Fact]
    public async Task The_status_after_a_failed_start_reports_the_failure_and_nothing_seeded()
    {
        var source = new FakeEntropySource(Failed("STARTTLS: RAND_egd(/x) failed: random number generator not seeded"));
        var subscriber = CreateTestProbe();

        var actor = Sys.ActorOf(EntropyActor.Props(source, NewGenerator(), LongInterval, subscriber, new FixedTimeProvider(Instant)));
        await subscriber.ExpectMsgAsync<Seeded>();

        Assert.Equal(
            new EntropyStatus("fake:entropy", SeedStatus.Failed, 0, null, 0, "STARTTLS: RAND_egd(/x) failed: random number generator not seeded"),
            await StatusAsync(actor));
    }

    [Fact]
    public async Task The_status_after_a_weak_start_counts_the_seeding_and_the_material()
    {
        var weak = new SeedOutcome(SeedStatus.Weak, 100, ["STARTTLS: size(/r) < 128: unsafe", "STARTTLS: Warning: random number generator not properly seeded"]);
        var source = new FakeEntropySource(new EntropyReading(Material(100, 1), weak));
        var subscriber = CreateTestProbe();

        var actor = Sys.ActorOf(EntropyActor.Props(source, NewGenerator(), LongInterval, subscriber, new FixedTimeProvider(Instant)));
        await subscriber.ExpectMsgAsync<Seeded>();

        Assert.Equal(
            new EntropyStatus("fake:entropy", SeedStatus.Weak, 100, Instant, 1, "STARTTLS: size(/r) < 128: unsafe; STARTTLS: Warning: random number generator not properly seeded"),
            await StatusAsync(actor));
    }

    [Fact]
    public async Task A_failed_reseed_after_a_good_seeding_keeps_the_status_ok_and_records_the_failure()
    {
        var source = new FakeEntropySource(Ok(Material(48, 1)), Failed("STARTTLS: RandFile /r too old: unusable"));

        var actor = Sys.ActorOf(EntropyActor.Props(source, NewGenerator(), TimeSpan.FromMilliseconds(100), clock: new FixedTimeProvider(Instant)));

        await AwaitAssertAsync(
            async () => Assert.Equal(
                new EntropyStatus("fake:entropy", SeedStatus.Ok, 48, Instant, 1, "STARTTLS: RandFile /r too old: unusable"),
                await StatusAsync(actor)),
            interval: TestKitConfig.Poll);
    }

    [Fact]
    public async Task A_good_reseed_after_a_failed_start_turns_the_status_ok()
    {
        var source = new FakeEntropySource(Failed("STARTTLS: RAND_egd(/x) failed: random number generator not seeded"), Ok(Material(48, 1)));
        var subscriber = CreateTestProbe();

        var actor = Sys.ActorOf(EntropyActor.Props(source, NewGenerator(), TimeSpan.FromMilliseconds(100), subscriber, new FixedTimeProvider(Instant)));

        Assert.Equal(SeedStatus.Failed, (await subscriber.ExpectMsgAsync<Seeded>()).Outcome.Status);
        await AwaitAssertAsync(
            async () => Assert.Equal(new EntropyStatus("fake:entropy", SeedStatus.Ok, 48, Instant, 1, null), await StatusAsync(actor)),
            interval: TestKitConfig.Poll);
    }

    [Fact]
    public async Task Only_the_first_outcome_is_told_not_a_later_reseed()
    {
        var source = new FakeEntropySource(Failed("STARTTLS: first"), Ok(Material(48, 1)));
        var subscriber = CreateTestProbe();

        var actor = Sys.ActorOf(EntropyActor.Props(source, NewGenerator(), TimeSpan.FromMilliseconds(100), subscriber));
        await AwaitAssertAsync(async () => Assert.Equal(SeedStatus.Ok, (await StatusAsync(actor)).Status), interval: TestKitConfig.Poll);

        // The reseed that turned the status Ok was handled before the status answer, so a second Seeded would be queued by now.
        Assert.Equal(["STARTTLS: first"], (await subscriber.ExpectMsgAsync<Seeded>()).Outcome.Log);
        await subscriber.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task The_source_is_read_again_every_reseed_interval()
    {
        var interval = TimeSpan.FromMilliseconds(100);
        var source = new FakeEntropySource(repeatLast: true, Ok(Material(48, 1)));
        var started = TimeProvider.System.GetTimestamp();

        var actor = Sys.ActorOf(EntropyActor.Props(source, NewGenerator(), interval));

        await AwaitConditionAsync(() => Task.FromResult(source.Calls >= 5), TimeSpan.FromSeconds(10), TestKitConfig.Poll);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        // Four reseeds after the first reading, each at least one interval after the previous (timer tick slack allowed).
        Assert.True(elapsed >= 4 * interval - TimeSpan.FromMilliseconds(50), $"5 readings after {elapsed.TotalMilliseconds} ms");
        await AwaitAssertAsync(async () => Assert.True((await StatusAsync(actor)).Seedings >= 5), interval: TestKitConfig.Poll);
        Assert.Equal(48L * (await StatusAsync(actor)).Seedings, (await StatusAsync(actor)).BytesSeeded);
    }

    [Fact]
    public async Task The_generator_is_seeded_by_the_actor_with_exactly_the_material_read()
    {
        var material = Material(64, 7);
        var generator = NewGenerator();
        var subscriber = CreateTestProbe();

        Sys.ActorOf(EntropyActor.Props(new FakeEntropySource(Ok(material)), generator, LongInterval, subscriber));
        await subscriber.ExpectMsgAsync<Seeded>();

        var reference = NewGenerator();
        reference.AddSeedMaterial(material);
        Assert.Equal(Draw(reference, 64), Draw(generator, 64));
    }

    [Fact]
    public async Task Different_material_gives_the_generator_different_output()
    {
        var generator = NewGenerator();
        var subscriber = CreateTestProbe();

        Sys.ActorOf(EntropyActor.Props(new FakeEntropySource(Ok(Material(64, 7))), generator, LongInterval, subscriber));
        await subscriber.ExpectMsgAsync<Seeded>();

        var other = NewGenerator();
        other.AddSeedMaterial(Material(64, 8));
        var unseeded = NewGenerator();
        var drawn = Draw(generator, 64);
        Assert.NotEqual(Draw(other, 64), drawn);
        Assert.NotEqual(Draw(unseeded, 64), drawn);
    }

    [Fact]
    public async Task A_failed_reading_is_still_mixed_in_but_does_not_count_as_seeded()
    {
        // R73: a stale or small rand file is fed to the generator, yet seeding has failed.
        var generator = NewGenerator();
        var subscriber = CreateTestProbe();

        var entropy = Sys.ActorOf(EntropyActor.Props(new FakeEntropySource(new EntropyReading(Material(64, 7), new SeedOutcome(SeedStatus.Failed, 0, ["x"]))), generator, LongInterval, subscriber));
        Assert.False((await subscriber.ExpectMsgAsync<Seeded>()).Outcome.TlsOn);

        var reference = NewGenerator();
        reference.AddSeedMaterial(Material(64, 7));
        Assert.Equal(Draw(reference, 64), Draw(generator, 64));
        var status = await entropy.Ask<EntropyStatus>(GetEntropyStatus.Instance, RemainingOrDefault);
        Assert.Equal(SeedStatus.Failed, status.Status);
        Assert.Equal(0, status.BytesSeeded);
    }

    [Fact]
    public async Task A_secure_random_built_on_the_generator_draws_from_the_actor_seeded_state()
    {
        var material = Material(48, 3);
        var generator = NewGenerator();
        var subscriber = CreateTestProbe();

        Sys.ActorOf(EntropyActor.Props(new FakeEntropySource(Ok(material)), generator, LongInterval, subscriber));
        await subscriber.ExpectMsgAsync<Seeded>();
        var random = new SecureRandom(generator);

        var reference = NewGenerator();
        reference.AddSeedMaterial(material);
        var viaSecureRandom = new byte[32];
        random.NextBytes(viaSecureRandom);
        Assert.Equal(Draw(reference, 32), viaSecureRandom);

        // And it advanced the shared generator: the next direct draw follows on.
        Assert.Equal(Draw(reference, 32), Draw(generator, 32));
    }

    [Theory]
    [InlineData(SeedStatus.Ok, null, "seeded from egd:/run/egd (255 bytes)")]
    [InlineData(SeedStatus.Weak, "STARTTLS: size(/r) < 128: unsafe", "WEAKLY seeded from egd:/run/egd (DontBlameSendmail=InsufficientEntropy, SPEC R75): STARTTLS: size(/r) < 128: unsafe")]
    [InlineData(SeedStatus.Failed, "STARTTLS: RAND_egd(/run/egd) failed", "not seeded from egd:/run/egd: STARTTLS: RAND_egd(/run/egd) failed")]
    public void The_status_summary_names_the_state_the_source_and_the_reason(SeedStatus status, string? failure, string summary) =>
        Assert.Equal(summary, new EntropyStatus("egd:/run/egd", status, 255, null, 1, failure).Summary());

    private static DigestRandomGenerator NewGenerator() => new(new Sha256Digest());

    private static byte[] Draw(IRandomGenerator generator, int count)
    {
        var bytes = new byte[count];
        generator.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Material(int length, byte salt) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 + salt))];

    private static EntropyReading Ok(byte[] material) => new(material, new SeedOutcome(SeedStatus.Ok, material.Length, []));

    private static EntropyReading Failed(string line) => new([], new SeedOutcome(SeedStatus.Failed, 0, [line]));

    private async Task<EntropyStatus> StatusAsync(IActorRef actor) =>
        await actor.Ask<EntropyStatus>(GetEntropyStatus.Instance, RemainingOrDefault);

    /// <summary>
    /// Returns the given readings in order, then either repeats the last or never answers (until cancelled), so a
    /// test sees a stable state after the sequence.
    /// </summary>
    private sealed class FakeEntropySource(bool repeatLast, params EntropyReading[] readings) : IEntropySource
    {
        private int _calls;

        public FakeEntropySource(params EntropyReading[] readings)
            : this(false, readings)
        {
        }

        public int Calls => Volatile.Read(ref _calls);

        public string Description => "fake:entropy";

        public Task<EntropyReading> ReadAsync(CancellationToken cancel)
        {
            var call = Interlocked.Increment(ref _calls) - 1;
            if (call < readings.Length)
            {
                return Task.FromResult(readings[call]);
            }

            if (repeatLast)
            {
                return Task.FromResult(readings[^1]);
            }

            var never = new TaskCompletionSource<EntropyReading>(TaskCreationOptions.RunContinuationsAsynchronously);
            cancel.Register(() => never.TrySetCanceled(cancel));
            return never.Task;
        }
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
