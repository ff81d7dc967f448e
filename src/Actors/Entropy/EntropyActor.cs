using Akka.Actor;
using Akka.Event;
using Gateway.Protocol.Entropy;
using Org.BouncyCastle.Crypto.Prng;
using static Gateway.Actors.Entropy.EntropyProtocol;

namespace Gateway.Actors.Entropy;

/// <summary>
/// Owns the node's random generator: a BouncyCastle digest DRBG that only this actor seeds (SPEC R71–R75), which
/// the node's SecureRandom and so every TLS engine draw from. It seeds at start and then every reseed interval
/// from the same source. The first outcome decides whether the node offers STARTTLS (R74: a failure turns it off
/// unless InsufficientEntropy, R75); a later failed reseed keeps the current state and is logged. Seed material
/// never leaves the node and is never logged.
/// </summary>
public sealed class EntropyActor : UntypedActor, IWithTimers
{
    /// <summary>R75: the non-cryptographic filler mixed in when seeding failed and InsufficientEntropy is set.</summary>
    private const int WeakFillerBytes = 128;

    private readonly IEntropySource _source;
    private readonly IRandomGenerator _generator;
    private readonly TimeSpan _reseedInterval;
    private readonly IActorRef _subscriber;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();

    private SeedStatus _status = SeedStatus.Failed;
    private long _bytesSeeded;
    private DateTimeOffset? _lastSeeded;
    private int _seedings;
    private string? _lastFailure = "not seeded yet";
    private bool _reading;
    private bool _toldSeeded;

    public EntropyActor(IEntropySource source, IRandomGenerator generator, TimeSpan reseedInterval, IActorRef subscriber, TimeProvider clock)
    {
        _source = source;
        _generator = generator;
        _reseedInterval = reseedInterval;
        _subscriber = subscriber;
        _clock = clock;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="subscriber">Told <see cref="Seeded"/> once, after the first reading (or when stopped before it).</param>
    public static Props Props(IEntropySource source, IRandomGenerator generator, TimeSpan reseedInterval, IActorRef? subscriber = null, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new EntropyActor(source, generator, reseedInterval, subscriber ?? ActorRefs.Nobody, clock ?? TimeProvider.System));

    protected override void PreStart() => Read();

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        if (!_toldSeeded)
        {
            // The subscriber decides the node's TLS on this answer; it must not wait for one that never comes.
            _subscriber.Tell(new Seeded(new SeedOutcome(SeedStatus.Failed, 0, ["entropy actor stopped before seeding"])));
        }
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case EntropyReading reading:
                _reading = false;
                Absorb(reading);
                break;
            case Reseed:
                Read();
                break;
            case GetEntropyStatus:
                Sender.Tell(new EntropyStatus(_source.Description, _status, _bytesSeeded, _lastSeeded, _seedings, _lastFailure));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Read()
    {
        if (_reading)
        {
            return;
        }

        _reading = true;

        // The source never throws; PipeTo still covers a fault, as a failed reading.
        _source.ReadAsync(_stopping.Token).PipeTo(
            Self,
            failure: e => new EntropyReading([], new SeedOutcome(SeedStatus.Failed, 0, [$"STARTTLS: entropy source {_source.Description} failed: {e.GetBaseException().Message}"])));
    }

    private void Absorb(EntropyReading reading)
    {
        var outcome = reading.Outcome;
        var first = !_toldSeeded;
        foreach (var line in outcome.Log)
        {
            // sendmail logs these regardless of LogLevel when seeding fails; warnings otherwise.
            if (outcome.Status == SeedStatus.Failed)
            {
                _log.Error("{0}", line);
            }
            else
            {
                _log.Warning("{0}", line);
            }
        }

        // Whatever the source handed over is mixed in, even when it does not count as seeding (R73: a stale or
        // small rand file is still fed to the generator). More seed material never weakens a DRBG; whether the
        // node may do TLS is decided by the outcome alone.
        if (reading.Material.Length > 0)
        {
            _generator.AddSeedMaterial(reading.Material);
            if (outcome.Status != SeedStatus.Failed)
            {
                _bytesSeeded += reading.Material.Length;
            }
        }

        if (outcome.Status == SeedStatus.Failed && !first && _status != SeedStatus.Failed)
        {
            // A failed reseed: the generator keeps what it has (R74's result stands until a good reseed).
            _lastFailure = string.Join("; ", outcome.Log);
            _log.Warning("reseed from {0} failed; the generator keeps its current state", _source.Description);
        }
        else
        {

            if (outcome.Status == SeedStatus.Weak)
            {
                // R75: explicitly insecure; mixed in so at least the generator's state differs per process.
                var filler = new byte[WeakFillerBytes];
#pragma warning disable CA5394 // R75 asks for non-cryptographic randomness here, knowingly.
                Random.Shared.NextBytes(filler);
#pragma warning restore CA5394
                _generator.AddSeedMaterial(filler);
            }

            if (outcome.Status != SeedStatus.Failed)
            {
                _lastSeeded = _clock.GetUtcNow();
                _seedings++;
            }

            // Weak (R75) is a failure let through: the status keeps saying why.
            _lastFailure = outcome.Status == SeedStatus.Ok ? null : string.Join("; ", outcome.Log);

            _status = outcome.Status;
        }

        if (first)
        {
            _toldSeeded = true;
            _subscriber.Tell(new Seeded(outcome));
        }

        Timers.StartSingleTimer(nameof(Reseed), Reseed.Instance, _reseedInterval);
    }

    private sealed class Reseed
    {
        public static readonly Reseed Instance = new();
    }
}
