using System.Diagnostics;
using System.Globalization;

namespace Gateway.Bench;

internal sealed record BenchResult(int Messages, double PerSecond, double P50Ms, double P99Ms, double MaxMs, int Failed, string? FirstError)
{
    public static BenchResult From(long[] ticks, TimeSpan elapsed, int failed, string? firstError)
    {
        var ms = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        return new BenchResult(
            ms.Length,
            ms.Length / elapsed.TotalSeconds,
            Percentile(ms, 0.50),
            Percentile(ms, 0.99),
            ms[^1],
            failed,
            firstError);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"messages {Messages}  msgs/s {PerSecond:F0}  p50 {P50Ms:F2} ms  p99 {P99Ms:F2} ms  max {MaxMs:F2} ms  failed {Failed}{(FirstError is null ? "" : $" (first: {FirstError})")}");
}
