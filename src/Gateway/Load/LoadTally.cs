using System.Diagnostics;

namespace Gateway.Load;

/// <summary>
/// Everything the coordinator counts during the measured phase (warm-up events are counted apart and
/// excluded from every figure). Owned by the coordinator actor alone, so plain mutable state.
/// </summary>
internal sealed class LoadTally
{
    public LatencyRecorder Connect { get; } = new();

    public LatencyRecorder Handshake { get; } = new();

    public LatencyRecorder Transaction { get; } = new();

    public LatencyRecorder Session { get; } = new();

    /// <summary>Permits given in the measured phase: every one is a message attempted.</summary>
    public long Attempted { get; set; }

    public long Accepted { get; private set; }

    public long Failed { get; private set; }

    public long Sessions { get; private set; }

    public long SessionsFailed { get; private set; }

    public long HandshakesFailed { get; private set; }

    public long WarmupMessages { get; private set; }

    public long WarmupSessions { get; private set; }

    public SortedDictionary<int, long> Replies { get; } = [];

    public SortedDictionary<string, (long Count, string First)> Errors { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> Verify { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> Suites { get; } = new(StringComparer.Ordinal);

    /// <summary>When the last measured event arrived: the end of the measured time.</summary>
    public long LastMeasuredAt { get; private set; }

    public void Add(LoadProtocol.TransactionEnded ended)
    {
        if (!ended.Measured)
        {
            WarmupMessages++;
            return;
        }

        LastMeasuredAt = Math.Max(LastMeasuredAt, ended.At);
        if (ended.Latency is { } latency)
        {
            Accepted++;
            Transaction.Record(latency);
        }
        else
        {
            Failed++;
        }
    }

    public void Add(SessionOutcome session)
    {
        if (!session.Measured)
        {
            WarmupSessions++;
            return;
        }

        LastMeasuredAt = Math.Max(LastMeasuredAt, session.At);
        Sessions++;
        Session.Record(session.Session);
        if (session.Connect is { } connect)
        {
            Connect.Record(connect);
        }

        if (session.Handshake is { } handshake)
        {
            Handshake.Record(handshake);
        }

        HandshakesFailed += session.HandshakeFailed ? 1 : 0;
        foreach (var (code, count) in session.Replies)
        {
            Replies[code] = Replies.GetValueOrDefault(code) + count;
        }

        if (session.Tls is var (suite, verify))
        {
            Suites[suite] = Suites.GetValueOrDefault(suite) + 1;
            Verify[verify] = Verify.GetValueOrDefault(verify) + 1;
        }

        if (session.Error is { } error)
        {
            SessionsFailed++;
            Errors[error.Kind] = Errors.TryGetValue(error.Kind, out var seen) ? (seen.Count + 1, seen.First) : (1, error.Detail);
        }
    }

    /// <summary>Seconds from the end of warm-up to the stop or the last measured event, whichever is later.</summary>
    public double MeasuredSeconds(long measureStart, long stoppedAt) =>
        Math.Max(Math.Max(LastMeasuredAt, stoppedAt) - measureStart, 1) / (double)Stopwatch.Frequency;
}
