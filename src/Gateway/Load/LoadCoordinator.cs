using System.Diagnostics;
using System.Globalization;
using System.Net;
using Akka.Actor;
using Gateway.Protocol.Tls;
using static Gateway.Load.LoadProtocol;

namespace Gateway.Load;

/// <summary>
/// Runs one load test: starts one <see cref="LoadClient"/> per simulated client, hands out a permit per
/// message (this is where the count, the duration, the rate and the warm-up are enforced), counts what the
/// clients report, prints the live progress line, and completes <paramref name="done"/> with the report
/// when every client has finished, the grace after Ctrl-C is over, or the hard timeout strikes.
/// </summary>
internal sealed class LoadCoordinator : ReceiveActor, IWithTimers
{
    /// <summary>After Ctrl-C, open sessions get this long to finish their message and QUIT.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(5);

    /// <summary>Permits due under --rate are released on this tick (the scheduler's resolution is about 10 ms anyway).</summary>
    private static readonly TimeSpan RateTick = TimeSpan.FromMilliseconds(5);

    private readonly LoadPlan _plan;
    private readonly LoadScript _script;
    private readonly TlsClientOptions? _tls;
    private readonly EndPoint _target;
    private readonly TaskCompletionSource<LoadReport> _done;
    private readonly TextWriter? _progress;
    private readonly TextWriter? _notice;
    private readonly LoadTally _tally = new();
    private readonly Queue<(IActorRef Client, Want Want)> _waiting = new();
    private readonly long _startedAt = Stopwatch.GetTimestamp();

    private bool _measuring;
    private long _measureStart;
    private TimeSpan _cpuAtMeasureStart;
    private string? _stoppedBy;
    private long _stoppedAt;
    private int _clients;

    // --rate: permit k is due at _scheduleStart + k * _ticksPerMessage.
    private long _scheduleStart;
    private long _scheduled;
    private double _ticksPerMessage;

    private long _progressAccepted;

    // --hold: the clients given their one session, those open and idle now, those settled (held or failed at
    // least once), the most open at once, and when every client had settled.
    private readonly HashSet<IActorRef> _opened = [];
    private readonly HashSet<IActorRef> _held = [];
    private readonly HashSet<IActorRef> _settled = [];
    private int _openFailed;
    private int _peakHeld;
    private long? _allOpenAt;

    public LoadCoordinator(LoadPlan plan, LoadScript script, TlsClientOptions? tls, EndPoint target, TaskCompletionSource<LoadReport> done, TextWriter? progress, TextWriter? notice = null)
    {
        _notice = notice;
        _plan = plan;
        _script = script;
        _tls = tls;
        _target = target;
        _done = done;
        _progress = progress;

        Receive<Want>(want => Asked(Sender, want));
        Receive<TransactionEnded>(_tally.Add);
        Receive<SessionEnded>(ended => SessionEnded(Sender, ended));
        Receive<Holding>(_ => Held(Sender));
        Receive<Terminated>(_ =>
        {
            if (--_clients == 0)
            {
                Complete(_stoppedBy ?? "all clients finished");
            }
        });
        Receive<Interrupt>(_ => Stop("interrupted", InterruptGrace));
        Receive<Timer>(Expired);
    }

    private enum Timer
    {
        WarmupOver,
        DurationOver,
        HardTimeout,
        GraceOver,
        Progress,
        Rate,
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        for (var i = 0; i < _plan.Concurrency; i++)
        {
            var source = _plan.SourceAddresses.Count > 0 ? _plan.SourceAddresses[i % _plan.SourceAddresses.Count] : null;
            var index = i;
            var client = Context.ActorOf(Props.Create(() => new LoadClient(index, _plan, _script, _tls, _target, source, Self)), $"client-{i}");
            Context.Watch(client);
            _clients++;
        }

        Timers.StartSingleTimer(Timer.HardTimeout, Timer.HardTimeout, _plan.Timeout);
        if (_plan.Warmup > TimeSpan.Zero)
        {
            Timers.StartSingleTimer(Timer.WarmupOver, Timer.WarmupOver, _plan.Warmup);
        }
        else
        {
            StartMeasuring();
        }

        if (_plan.Rate is { } rate)
        {
            _scheduleStart = Stopwatch.GetTimestamp();
            _ticksPerMessage = Stopwatch.Frequency / rate;
            Timers.StartPeriodicTimer(Timer.Rate, Timer.Rate, RateTick);
        }

        if (_progress is not null)
        {
            Timers.StartPeriodicTimer(Timer.Progress, Timer.Progress, TimeSpan.FromSeconds(1));
        }
    }

    private void Expired(Timer timer)
    {
        switch (timer)
        {
            case Timer.WarmupOver:
                StartMeasuring();
                break;
            case Timer.DurationOver:
                Stop("duration reached", grace: null);
                break;
            case Timer.HardTimeout:
                _stoppedAt = _stoppedAt == 0 ? Stopwatch.GetTimestamp() : _stoppedAt;
                Complete("timeout");
                break;
            case Timer.GraceOver:
                Complete(_stoppedBy!);
                break;
            case Timer.Progress:
                ShowProgress();
                break;
            case Timer.Rate:
                Release();
                break;
        }
    }

    private void StartMeasuring()
    {
        _measuring = true;
        _measureStart = Stopwatch.GetTimestamp();
        _cpuAtMeasureStart = Process.GetCurrentProcess().TotalProcessorTime;
        if (_plan.Duration is { } duration && !_plan.Hold)
        {
            Timers.StartSingleTimer(Timer.DurationOver, Timer.DurationOver, duration);
        }
    }

    private void SessionEnded(IActorRef client, SessionEnded ended)
    {
        _tally.Add(ended.Outcome);
        if (_plan.Hold && !_held.Remove(client) && _settled.Add(client))
        {
            // Ended before it was ever held: it failed to open.
            _openFailed++;
            AllOpen();
        }
    }

    /// <summary>--hold: one more session open and idle.</summary>
    private void Held(IActorRef client)
    {
        if (_stoppedBy is not null)
        {
            client.Tell(Finish.Instance);
            return;
        }

        _held.Add(client);
        _settled.Add(client);
        _peakHeld = Math.Max(_peakHeld, _held.Count);
        AllOpen();
    }

    /// <summary>
    /// --hold: once every client has its session open or has failed to open one, say so on a line of its own
    /// (scripts wait for it before they measure) and start the hold's duration.
    /// </summary>
    private void AllOpen()
    {
        // Counted by client, not by open session: one held and then dropped before the rest were open still settled.
        if (_allOpenAt is not null || _settled.Count < _plan.Concurrency)
        {
            return;
        }

        _allOpenAt = Stopwatch.GetTimestamp();
        _notice?.WriteLine(Invariant($"holding {_held.Count} sessions ({_openFailed} failed to open), all open after {Stopwatch.GetElapsedTime(_startedAt).TotalSeconds:F1} s"));
        _notice?.Flush();
        if (_plan.Duration is { } duration)
        {
            Timers.StartSingleTimer(Timer.DurationOver, Timer.DurationOver, duration);
        }
    }

    private void Asked(IActorRef client, Want want)
    {
        if (_plan.Hold)
        {
            // One session per client: a client whose session ended (failed, or QUIT after the hold) is done.
            var open = _stoppedBy is null && !want.InSession && _opened.Add(client);
            client.Tell(open ? new Go(Measured: true, ScheduledAt: 0) : Finish.Instance);
            return;
        }

        if (_plan.Rate is null || !MayProceed(want))
        {
            Answer(client, want, scheduledAt: 0);
        }
        else
        {
            _waiting.Enqueue((client, want));
            Release();
        }
    }

    /// <summary>Gives the permits that are due under --rate, each stamped with the time it was due.</summary>
    private void Release()
    {
        var now = Stopwatch.GetTimestamp();
        while (_waiting.Count > 0)
        {
            var due = _scheduleStart + (long)(_scheduled * _ticksPerMessage);
            var (client, want) = _waiting.Peek();
            if (MayProceed(want) && due > now)
            {
                return;
            }

            _waiting.Dequeue();
            if (MayProceed(want))
            {
                _scheduled++;
            }

            Answer(client, want, due);
        }
    }

    /// <summary>Whether a permit may be given now: not stopping, under the count, and no warm-up session carried into the measurement.</summary>
    private bool MayProceed(Want want) =>
        _stoppedBy is null
        && !(_measuring && want.InSession && !want.SessionMeasured)
        && !(_measuring && _plan.Messages is { } limit && _tally.Attempted >= limit);

    private void Answer(IActorRef client, Want want, long scheduledAt)
    {
        if (!MayProceed(want))
        {
            client.Tell(Finish.Instance);
            return;
        }

        if (_measuring)
        {
            _tally.Attempted++;
        }

        client.Tell(new Go(_measuring, scheduledAt));
        if (_measuring && _plan.Messages is { } limit && _tally.Attempted >= limit)
        {
            Stop("count reached", grace: null);
        }
    }

    /// <summary>No more permits; clients finish the message in hand and QUIT. Waiting clients are told now.</summary>
    private void Stop(string reason, TimeSpan? grace)
    {
        if (_stoppedBy is not null)
        {
            return;
        }

        _stoppedBy = reason;
        _stoppedAt = Stopwatch.GetTimestamp();
        Timers.Cancel(Timer.Rate);
        Timers.Cancel(Timer.DurationOver);
        while (_waiting.TryDequeue(out var waiting))
        {
            waiting.Client.Tell(Finish.Instance);
        }

        foreach (var held in _held)
        {
            held.Tell(Finish.Instance);
        }

        if (grace is { } g)
        {
            Timers.StartSingleTimer(Timer.GraceOver, Timer.GraceOver, g);
        }
    }

    private void Complete(string stoppedBy)
    {
        if (_done.Task.IsCompleted)
        {
            return;
        }

        if (_progress is not null)
        {
            _progress.Write('\n');
            _progress.Flush();
        }

        _stoppedAt = _stoppedAt == 0 ? Stopwatch.GetTimestamp() : _stoppedAt;
        if (!_measuring)
        {
            // Stopped during warm-up: nothing was measured.
            _measureStart = _stoppedAt;
            _cpuAtMeasureStart = Process.GetCurrentProcess().TotalProcessorTime;
        }

        _done.TrySetResult(Report(stoppedBy));
        Context.Stop(Self);
    }

    private LoadReport Report(string stoppedBy)
    {
        var seconds = _tally.MeasuredSeconds(_measureStart, _stoppedAt);
        return new LoadReport
        {
            Target = _plan.Target.ToString(),
            Concurrency = _plan.Concurrency,
            StartTls = _plan.StartTls,
            Size = _plan.Size,
            PerConnection = _plan.PerConnection,
            Rate = _plan.Rate,
            StoppedBy = stoppedBy,
            WarmupSeconds = Math.Round(_plan.Warmup.TotalSeconds, 3),
            MeasuredSeconds = Math.Round(seconds, 3),
            Attempted = _tally.Attempted,
            Accepted = _tally.Accepted,
            Failed = _tally.Failed,
            Unfinished = _tally.Attempted - _tally.Accepted - _tally.Failed,
            Sessions = _tally.Sessions,
            SessionsFailed = _tally.SessionsFailed,
            Handshakes = _tally.Handshake.Count,
            HandshakesFailed = _tally.HandshakesFailed,
            MessagesPerSecond = Math.Round(_tally.Accepted / seconds, 1),
            SessionsPerSecond = Math.Round(_tally.Sessions / seconds, 1),
            HandshakesPerSecond = Math.Round(_tally.Handshake.Count / seconds, 1),
            LatencyMs = new Dictionary<string, LatencySummary>
            {
                ["connect"] = _tally.Connect.Summary(),
                ["handshake"] = _tally.Handshake.Summary(),
                ["transaction"] = _tally.Transaction.Summary(),
                ["session"] = _tally.Session.Summary(),
            },
            Replies = _tally.Replies.ToDictionary(r => r.Key.ToString(CultureInfo.InvariantCulture), r => r.Value),
            Errors = _tally.Errors.ToDictionary(e => e.Key, e => new ErrorCount(e.Value.Count, e.Value.First)),
            TlsVerify = new Dictionary<string, long>(_tally.Verify),
            TlsSuites = new Dictionary<string, long>(_tally.Suites),
            WarmupMessages = _tally.WarmupMessages,
            WarmupSessions = _tally.WarmupSessions,
            Hold = _plan.Hold ? new HoldSummary(_peakHeld, _openFailed, _allOpenAt is { } at ? Math.Round(Stopwatch.GetElapsedTime(_startedAt, at).TotalSeconds, 3) : null) : null,
            ProcessCpuSeconds = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - _cpuAtMeasureStart).TotalSeconds, 2),
        };
    }

    private void ShowProgress()
    {
        var elapsed = Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;
        var accepted = _tally.Accepted + _tally.WarmupMessages;
        var line = _plan.Hold
            ? Invariant($"\r{elapsed,6:F0} s  holding {_held.Count,7:N0} of {_plan.Concurrency:N0}  failed to open {_openFailed:N0}  errors {_tally.SessionsFailed:N0}   ")
            : Invariant($"\r{elapsed,6:F0} s  {(_measuring ? "measuring" : "warm-up  ")}  accepted {_tally.Accepted,9:N0}  {accepted - _progressAccepted,7:N0}/s  failed {_tally.Failed:N0}  errors {_tally.SessionsFailed:N0}   ");
        _progressAccepted = accepted;
        _progress!.Write(line);
        _progress.Flush();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
