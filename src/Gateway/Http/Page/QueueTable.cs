using Gateway.Protocol.Status;

namespace Gateway.Http.Page;

/// <summary>
/// The queue by destination, per node (each record carries its node's busiest destinations): why mail waits, with
/// the last error for each. That error is a remote MTA's reply text, shown only as encoded text.
/// </summary>
internal static class QueueTable
{
    public static void Write(HtmlWriter html, ClusterStatus status)
    {
        html.Open("section", ("aria-labelledby", "queue-heading")).Element("h2", "Queue by destination", ("id", "queue-heading"));
        var rows = status.Nodes
            .Where(n => n.Status is not null)
            .SelectMany(n => n.Status!.Queue.Destinations.Select(d => (Node: n, Destination: d)))
            .ToList();
        if (rows.Count == 0)
        {
            html.Element("p", "No mail is waiting.", ("data-field", "queue-empty")).Close("section");
            return;
        }

        html.Open("table", ("id", "queue")).Element("caption", "Pending recipients by destination domain, the busiest first on each node");
        html.Open("thead").Open("tr");
        foreach (var column in (ReadOnlySpan<string>)["Node", "Destination", "Messages", "Recipients", "Oldest", "Last error"])
        {
            html.Element("th", column, ("scope", "col"));
        }

        html.Close("tr").Close("thead").Open("tbody");
        foreach (var (node, d) in rows)
        {
            html.Open("tr", ("data-node", node.Address), ("data-destination", d.Domain));
            html.Element("td", StatusFormat.Node(node.Status!.Host, node.Address), ("data-field", "host"));
            html.Element("th", d.Domain, ("scope", "row"), ("data-field", "destination"));
            html.Cell("messages", StatusFormat.Count(d.Messages));
            html.Cell("recipients", StatusFormat.Count(d.Recipients));
            html.Cell("oldest", StatusFormat.Age(d.Oldest, status.Generated));
            html.Cell("last-error", d.LastError ?? StatusFormat.None, "reply");
            html.Close("tr");
        }

        html.Close("tbody").Close("table").Close("section");
    }
}
