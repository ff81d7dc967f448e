using System.Diagnostics;
using HdrHistogram;

namespace Gateway.Load;

/// <summary>
/// One latency distribution in microseconds, from 1 µs to one hour at 3 significant digits (HdrHistogram:
/// fixed memory, exact enough at p99.9 however many values). Longer values count as one hour.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long HighestMicroseconds = 3_600_000_000;

    private readonly LongHistogram _histogram = new(HighestMicroseconds, 3);

    public long Count => _histogram.TotalCount;

    public void Record(long stopwatchTicks)
    {
        var microseconds = Math.Clamp(stopwatchTicks * 1_000_000 / Stopwatch.Frequency, 1, HighestMicroseconds);
        _histogram.RecordValue(microseconds);
    }

    public LatencySummary Summary() =>
        Count == 0
            ? new LatencySummary(0, 0, 0, 0, 0, 0, 0)
            : new LatencySummary(
                Count,
                Milliseconds(_histogram.GetValueAtPercentile(50)),
                Milliseconds(_histogram.GetValueAtPercentile(90)),
                Milliseconds(_histogram.GetValueAtPercentile(99)),
                Milliseconds(_histogram.GetValueAtPercentile(99.9)),
                Milliseconds(_histogram.GetMaxValue()),
                Math.Round(_histogram.GetMean() / 1000, 3));

    private static double Milliseconds(long microseconds) => microseconds / 1000.0;
}

/// <summary>A latency distribution as reported, in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean);
