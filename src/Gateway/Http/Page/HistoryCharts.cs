using System.Globalization;
using Gateway.Protocol.Status;

namespace Gateway.Http.Page;

/// <summary>
/// Per node, three sparklines over the last 15 minutes of its <see cref="StatusSeries"/>: sessions open, messages/s
/// and TLS handshakes/s (the series counts per interval; divided by the interval they are rates). Inline SVG, one
/// polyline each, newest point at the right edge; the label says the latest value and the peak for those who
/// cannot see the line.
/// </summary>
internal static class HistoryCharts
{
    public const int Width = 180;

    public const int Height = 32;

    /// <summary>The span a chart covers, whatever the interval: the page shows the last 15 minutes.</summary>
    public const int WindowSeconds = 900;

    public static void Write(HtmlWriter html, ClusterStatus status)
    {
        html.Open("section", ("aria-labelledby", "history-heading")).Element("h2", "Last 15 minutes", ("id", "history-heading"));
        html.Open("div", ("class", "charts"));
        foreach (var node in status.Nodes)
        {
            html.Open("figure", ("data-node", node.Address)).Element("figcaption", StatusFormat.Node(node.Status?.Host, node.Address));
            if (node.Status?.History is not { } history)
            {
                html.Element("p", "No record yet.").Close("figure");
                continue;
            }

            var interval = Math.Max(1, history.IntervalSeconds);
            Chart(html, "sessions", "Sessions", [.. history.Sessions.Select(v => (double)v)], interval, "0");
            Chart(html, "messages", "Msgs/s", [.. history.Messages.Select(v => (double)v / interval)], interval, "0.0");
            Chart(html, "handshakes", "Handshakes/s", [.. history.Handshakes.Select(v => (double)v / interval)], interval, "0.0");
            html.Close("figure");
        }

        html.Close("div").Close("section");
    }

    private static void Chart(HtmlWriter html, string field, string label, double[] values, int interval, string format)
    {
        var shown = values.TakeLast(Slots(interval)).ToArray();
        var now = shown.Length == 0 ? StatusFormat.None : shown[^1].ToString(format, CultureInfo.InvariantCulture);
        var peak = shown.Length == 0 ? 0 : shown.Max();
        var description = $"{label} over the last 15 minutes: now {now}, peak {peak.ToString(format, CultureInfo.InvariantCulture)}";
        html.Open("div", ("class", "chart"), ("data-field", $"{field}-chart"));
        html.Element("span", label, ("class", "label"));
        html.Open(
            "svg",
            ("role", "img"),
            ("aria-label", description),
            ("viewBox", $"0 0 {Width} {Height}"),
            ("width", $"{Width}"),
            ("height", $"{Height}"),
            ("preserveAspectRatio", "none"));
        html.Element("title", description);
        html.Empty("polyline", ("points", Points(shown, interval)));
        html.Close("svg");
        html.Element("span", now, ("class", "now"));
        html.Close("div");
    }

    /// <summary>How many points fit the window (at least two, so one point still has a place to go from).</summary>
    public static int Slots(int interval) => Math.Max(2, (WindowSeconds + interval - 1) / interval);

    /// <summary>The polyline's points: x from the right edge back one slot per point, y scaled to the peak (at least 1).</summary>
    public static string Points(IReadOnlyList<double> values, int interval)
    {
        var step = (double)Width / (Slots(interval) - 1);
        var peak = Math.Max(1, values.Count == 0 ? 0 : values.Max());
        return string.Join(' ', values.Select((v, i) =>
        {
            var x = Width - ((values.Count - 1 - i) * step);
            var y = Height - 1 - (v / peak * (Height - 2));
            return string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
        }));
    }
}
