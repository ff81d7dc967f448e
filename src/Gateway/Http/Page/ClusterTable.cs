using Gateway.Protocol.Status;

namespace Gateway.Http.Page;

/// <summary>
/// The cluster table: one row per member (<c>data-node</c> its address, <c>data-record</c> fresh, stale or none) and
/// a totals row over the fresh records, the same sums <see cref="ClusterTotals"/> carries. status.js draws the same.
/// </summary>
internal static class ClusterTable
{
    private static readonly string[] Columns =
    [
        "Host", "Address", "Member", "State", "Sessions", "TLS", "Msgs/s", "Handshakes/s", "Accepted", "Queued",
        "Oldest queued", "Entropy", "Map", "Uptime", "Version",
    ];

    private static readonly string[] FiguresOfARecord =
    [
        "sessions", "tls", "messages-per-second", "handshakes-per-second", "accepted", "queued", "oldest", "entropy", "map",
        "uptime", "version",
    ];

    public static void Write(HtmlWriter html, ClusterStatus status)
    {
        var outliers = MapAgreement.Outliers(status);
        html.Open("section", ("aria-labelledby", "nodes-heading")).Element("h2", "Nodes", ("id", "nodes-heading"));
        html.Open("table", ("id", "cluster"));
        html.Element("caption", $"Members as {status.Observer} sees them; totals count fresh records only");
        html.Open("thead").Open("tr");
        foreach (var column in Columns)
        {
            html.Element("th", column, ("scope", "col"));
        }

        html.Close("tr").Close("thead").Open("tbody");
        foreach (var node in status.Nodes)
        {
            Row(html, node, status.Generated, outliers.Contains(node.Address));
        }

        html.Close("tbody");
        Totals(html, status.Totals);
        html.Close("table").Close("section");
    }

    /// <summary>"fresh", "stale" (the record stopped changing: its figures are old) or "none" (no record yet).</summary>
    public static string Record(ClusterNode node) => node.Status is null ? "none" : node.Stale ? "stale" : "fresh";

    private static void Row(HtmlWriter html, ClusterNode node, DateTimeOffset now, bool mapDiffers)
    {
        var record = Record(node);
        html.Open("tr", ("data-node", node.Address), ("data-record", record), ("class", record == "fresh" ? null : record));
        html.Element("th", node.Status?.Host ?? StatusFormat.None, ("scope", "row"), ("data-field", "host"));
        html.Cell("address", node.Address);
        html.Cell("member", node.Reachable ? node.Member : $"{node.Member}, unreachable", node.Reachable && node.Member == "up" ? null : "bad");
        if (node.Status is not { } s)
        {
            html.Cell("state", "no record yet", "bad");
            foreach (var field in FiguresOfARecord)
            {
                html.Cell(field, StatusFormat.None);
            }

            html.Close("tr");
            return;
        }

        html.Cell("state", node.Stale ? $"{s.State} (stale record)" : s.State, node.Stale || s.State != NodeStatus.Serving ? "bad" : null);
        html.Cell("sessions", StatusFormat.Count(s.Sessions.Open));
        html.Cell("tls", StatusFormat.Share(s.Sessions.Tls, s.Sessions.Open));
        html.Cell("messages-per-second", StatusFormat.Rate(s.Traffic.MessagesPerSecond));
        html.Cell("handshakes-per-second", StatusFormat.Rate(s.Traffic.HandshakesPerSecond));
        html.Cell("accepted", StatusFormat.Count(s.Traffic.Accepted));
        html.Cell("queued", StatusFormat.Count(s.Queue.Messages));
        html.Cell("oldest", StatusFormat.Age(s.Queue.Oldest, now));
        html.Cell("entropy", s.Entropy.Status, s.Entropy.Status == "ok" ? null : "bad");
        html.Cell("map", mapDiffers ? $"{StatusFormat.Map(s.Map)} (differs)" : StatusFormat.Map(s.Map), mapDiffers ? "bad" : null);
        html.Cell("uptime", StatusFormat.Age(s.Started, now));
        html.Cell("version", s.Version);
        html.Close("tr");
    }

    private static void Totals(HtmlWriter html, ClusterTotals totals)
    {
        html.Open("tfoot").Open("tr", ("data-node", "total"));
        var name = $"Total: {totals.Nodes} {(totals.Nodes == 1 ? "node" : "nodes")}, {totals.Up} up";
        html.Element("th", name, ("scope", "row"), ("colspan", "4"), ("data-field", "host"));
        html.Cell("sessions", StatusFormat.Count(totals.SessionsOpen));
        html.Cell("tls", StatusFormat.Share(totals.SessionsTls, totals.SessionsOpen));
        html.Cell("messages-per-second", StatusFormat.Rate(totals.MessagesPerSecond));
        html.Cell("handshakes-per-second", StatusFormat.Rate(totals.HandshakesPerSecond));
        html.Cell("accepted", StatusFormat.Count(totals.Accepted));
        html.Cell("queued", StatusFormat.Count(totals.Queued));
        html.Open("td", ("colspan", "5")).Close("td");
        html.Close("tr").Close("tfoot");
    }
}
