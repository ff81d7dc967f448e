using System.Globalization;
using System.Text;

namespace Gateway.Load;

/// <summary>The report as an administrator reads it at the end of a run: counts, rates, a latency table, replies, errors.</summary>
internal static class LoadReportText
{
    private static readonly (string Key, string Label)[] LatencyRows =
    [
        ("connect", "connect+greeting"),
        ("handshake", "TLS handshake"),
        ("transaction", "transaction"),
        ("session", "session"),
    ];

    public static string Render(LoadReport report)
    {
        var text = new StringBuilder();
        var hold = report.Hold;
        Line(text, $"target      {report.Target}, {report.Concurrency} clients, {(report.StartTls ? "STARTTLS, " : "")}{(hold is not null ? "holding idle sessions" : Invariant($"{report.Size} bytes per message, {report.PerConnection} per connection"))}{(report.Rate is { } r ? Invariant($", rate {r} msgs/s") : "")}");
        Line(text, $"stopped     {report.StoppedBy} after {report.MeasuredSeconds:F2} s measured{(report.WarmupSeconds > 0 ? Invariant($" (warm-up {report.WarmupSeconds:0.###} s, {report.WarmupMessages} messages in {report.WarmupSessions} sessions, excluded)") : "")}");
        if (hold is not null)
        {
            Line(text, $"held        {hold.PeakHeld} sessions open at once, {hold.FailedToOpen} failed to open{(hold.AllOpenSeconds is { } all ? Invariant($", all open after {all:F2} s") : ", not all open")}");
        }
        else
        {
            Line(text, $"messages    {report.Attempted} attempted = {report.Accepted} accepted + {report.Failed} failed + {report.Unfinished} unfinished");
        }

        Line(text, $"sessions    {report.Sessions} ({report.SessionsFailed} with an error){(report.StartTls ? Invariant($", {report.Handshakes} TLS handshakes ({report.HandshakesFailed} failed)") : "")}");
        Line(text, $"throughput  {(hold is null ? Invariant($"{report.MessagesPerSecond:F1} msgs/s, ") : "")}{report.SessionsPerSecond:F1} sessions/s{(report.StartTls ? Invariant($", {report.HandshakesPerSecond:F1} TLS handshakes/s") : "")}");
        text.Append('\n');
        Line(text, $"{"latency (ms)",-18}{"count",9}{"p50",10}{"p90",10}{"p99",10}{"p99.9",10}{"max",10}{"mean",10}");
        foreach (var (key, label) in LatencyRows)
        {
            if ((key == "handshake" && !report.StartTls) || (key == "transaction" && hold is not null))
            {
                continue;
            }

            var l = report.LatencyMs[key];
            Line(text, $"{label,-18}{l.Count,9}{l.P50,10:F2}{l.P90,10:F2}{l.P99,10:F2}{l.P999,10:F2}{l.Max,10:F2}{l.Mean,10:F2}");
        }

        text.Append('\n');
        Line(text, $"replies     {(report.Replies.Count == 0 ? "none" : string.Join("  ", report.Replies.Select(r => $"{r.Key}: {r.Value}")))}");
        if (report.Errors.Count == 0)
        {
            Line(text, $"errors      none");
        }
        else
        {
            Line(text, $"errors      {report.Errors.Values.Sum(e => e.Count)} sessions ended by an error:");
            foreach (var (kind, error) in report.Errors.OrderByDescending(e => e.Value.Count))
            {
                Line(text, $"{error.Count,10}  {kind}  (first: {error.First})");
            }
        }

        if (report.StartTls)
        {
            Line(text, $"tls         {Counts(report.TlsSuites)}; verify {Counts(report.TlsVerify)}");
        }

        var cpuShare = report.MeasuredSeconds > 0 ? report.ProcessCpuSeconds / report.MeasuredSeconds * 100 : 0;
        Line(text, $"cpu         {report.ProcessCpuSeconds:F2} s used by this process while measuring ({cpuShare:F0}% of one core)");
        return text.ToString();
    }

    private static string Counts(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => Invariant($"{c.Key} {c.Value}")));

    private static void Line(StringBuilder text, FormattableString line) => text.Append(Invariant(line)).Append('\n');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
