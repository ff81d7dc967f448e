using Gateway.Protocol.Status;

namespace Gateway.Http.Page;

/// <summary>
/// The <c>{verify}</c> mix (SPEC R40): how the server handshakes' client certificates came out, one column per value,
/// one row per node with a record, and the sum over them (stale records included: these are counts since start).
/// </summary>
internal static class VerifyTable
{
    public static void Write(HtmlWriter html, ClusterStatus status)
    {
        html.Open("section", ("aria-labelledby", "verify-heading")).Element("h2", "Client certificates ({verify})", ("id", "verify-heading"));
        var nodes = status.Nodes.Where(n => n.Status is not null).ToList();
        var values = nodes.SelectMany(n => n.Status!.Verify.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (values.Count == 0)
        {
            html.Element("p", "No TLS handshake yet.", ("data-field", "verify-empty")).Close("section");
            return;
        }

        html.Open("table", ("id", "verify")).Element("caption", "Server TLS handshakes by {verify} result since each node started");
        html.Open("thead").Open("tr").Element("th", "Node", ("scope", "col"));
        foreach (var value in values)
        {
            html.Element("th", value, ("scope", "col"));
        }

        html.Close("tr").Close("thead").Open("tbody");
        foreach (var node in nodes)
        {
            Row(html, node.Address, StatusFormat.Node(node.Status!.Host, node.Address), values, v => node.Status.Verify.GetValueOrDefault(v));
        }

        html.Close("tbody").Open("tfoot");
        Row(html, "total", "Total", values, v => nodes.Sum(n => n.Status!.Verify.GetValueOrDefault(v)));
        html.Close("tfoot").Close("table").Close("section");
    }

    private static void Row(HtmlWriter html, string key, string name, List<string> values, Func<string, long> count)
    {
        html.Open("tr", ("data-node", key)).Element("th", name, ("scope", "row"), ("data-field", "host"));
        foreach (var value in values)
        {
            html.Element("td", StatusFormat.Count(count(value)), ("data-field", "verify"), ("data-verify", value));
        }

        html.Close("tr");
    }
}
