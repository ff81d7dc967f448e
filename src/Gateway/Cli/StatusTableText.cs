using System.Globalization;
using System.Text;
using Gateway.Http.Page;
using Gateway.Protocol.Status;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway status</c>'s text: the cluster table (one row per node, then the totals), the destinations mail waits
/// for with their last error, and the {verify} mix. Columns are as wide as their widest cell; numbers right-aligned.
/// Figures are written as the status page writes them (StatusFormat), so the two read alike.
/// </summary>
internal static class StatusTableText
{
    private static readonly string[] Header =
        ["NODE", "ADDRESS", "MEMBER", "STATE", "SESSIONS", "TLS", "MSG/S", "TLS/S", "ACCEPTED", "QUEUE", "OLDEST", "ENTROPY", "MAP", "UPTIME", "VERSION"];

    /// <summary>Columns whose cells are numbers (right-aligned).</summary>
    private static readonly HashSet<int> Numeric = [4, 5, 6, 7, 8, 9, 10, 13];

    public static string Render(ClusterStatus status)
    {
        var now = status.Generated;
        var rows = new List<string[]> { Header };
        rows.AddRange(status.Nodes.Select(n => Row(n, now)));
        var t = status.Totals;
        rows.Add(
        [
            $"total: {t.Nodes} node{(t.Nodes == 1 ? "" : "s")}, {t.Up} up", "", "", "",
            StatusFormat.Count(t.SessionsOpen), StatusFormat.Share(t.SessionsTls, t.SessionsOpen), StatusFormat.Rate(t.MessagesPerSecond), StatusFormat.Rate(t.HandshakesPerSecond),
            StatusFormat.Count(t.Accepted), StatusFormat.Count(t.Queued), "", "", MapAgreement(status), "", "",
        ]);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"cluster seen from {status.Observer} at {now.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z\n");
        Table(text, rows);
        Destinations(text, status);
        Verify(text, status);
        return text.ToString();
    }

    private static string[] Row(ClusterNode node, DateTimeOffset now)
    {
        var member = node.Reachable ? node.Member : node.Member + ", unreachable";
        if (node.Status is not { } s)
        {
            return [StatusFormat.None, Short(node.Address), member, "(no status yet)", "", "", "", "", "", "", "", "", "", "", ""];
        }

        return
        [
            OneLine(s.Host),
            Short(node.Address),
            member,
            node.Stale ? $"{s.State}, stale" : s.State,
            StatusFormat.Count(s.Sessions.Open),
            StatusFormat.Share(s.Sessions.Tls, s.Sessions.Open),
            StatusFormat.Rate(s.Traffic.MessagesPerSecond),
            StatusFormat.Rate(s.Traffic.HandshakesPerSecond),
            StatusFormat.Count(s.Traffic.Accepted),
            StatusFormat.Count(s.Queue.Messages),
            StatusFormat.Age(s.Queue.Oldest, now),
            s.Entropy.Status,
            StatusFormat.Map(s.Map),
            StatusFormat.Age(now - s.Started),
            OneLine(s.Version),
        ];
    }

    /// <summary>"same" when every node with a record runs one map version; else "DIFFERENT": the nodes decide differently.</summary>
    private static string MapAgreement(ClusterStatus status)
    {
        var digests = status.Nodes.Where(n => n.Status is not null).Select(n => n.Status!.Map?.Digest ?? "").Distinct().Count();
        return digests <= 1 ? "same" : "DIFFERENT";
    }

    private static void Table(StringBuilder text, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var c = 0; c < row.Length; c++)
            {
                var cell = Numeric.Contains(c) ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]);
                line.Append(cell).Append("  ");
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    private static void Destinations(StringBuilder text, ClusterStatus status)
    {
        var waiting = status.Nodes
            .Where(n => n.Status is not null)
            .SelectMany(n => n.Status!.Queue.Destinations.Select(d => (Host: OneLine(n.Status!.Host), Destination: d)))
            .ToList();
        if (waiting.Count == 0)
        {
            return;
        }

        text.Append("\nqueue by destination:\n");
        var rows = waiting.Select(w => new[]
        {
            w.Host,
            OneLine(w.Destination.Domain),
            $"{StatusFormat.Count(w.Destination.Messages)} msg",
            $"{StatusFormat.Count(w.Destination.Recipients)} rcpt",
            w.Destination.Oldest is { } oldest ? $"oldest {StatusFormat.Age(status.Generated - oldest)}" : "",
            OneLine(w.Destination.LastError ?? "(no error yet)"),
        }).ToList();
        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.Append("  ");
            for (var c = 0; c < 5; c++)
            {
                text.Append(c is 2 or 3 ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c])).Append("  ");
            }

            text.Append(row[5]).Append('\n');
        }
    }

    private static void Verify(StringBuilder text, ClusterStatus status)
    {
        var mix = status.Nodes
            .Where(n => n.Status is not null)
            .SelectMany(n => n.Status!.Verify)
            .GroupBy(v => v.Key, StringComparer.Ordinal)
            .Select(g => (Value: g.Key, Count: g.Sum(v => v.Value)))
            .OrderByDescending(v => v.Count)
            .ThenBy(v => v.Value, StringComparer.Ordinal)
            .ToList();
        if (mix.Count > 0)
        {
            text.Append("\n{verify}: ").AppendJoin(", ", mix.Select(v => $"{v.Value} {StatusFormat.Count(v.Count)}")).Append('\n');
        }
    }

    /// <summary>A remote reply can hold control characters or line breaks: shown on one line, never interpreted by the terminal.</summary>
    private static string OneLine(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));

    /// <summary>host:port of an Akka address (akka.tcp://gateway@10.0.0.1:4053).</summary>
    private static string Short(string address)
    {
        var at = address.LastIndexOf('@');
        return at >= 0 ? address[(at + 1)..] : address;
    }
}
