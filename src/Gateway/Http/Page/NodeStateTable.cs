using Gateway.Protocol.Status;

namespace Gateway.Http.Page;

/// <summary>
/// Per node, its random generator (SPEC R71–R75) and the access map it decides with. Nodes whose map digest differs
/// from the cluster's are marked in words as well as colour, and a line above the table says how many maps are in use.
/// </summary>
internal static class NodeStateTable
{
    private static readonly string[] Columns =
    [
        "Node", "Entropy", "Source", "Last seeded", "Seedings", "Last failure", "Map", "Digest", "Entries", "Map source", "Published",
    ];

    public static void Write(HtmlWriter html, ClusterStatus status)
    {
        var outliers = MapAgreement.Outliers(status);
        html.Open("section", ("aria-labelledby", "state-heading")).Element("h2", "Entropy and access map", ("id", "state-heading"));
        if (MapAgreement.Distinct(status) > 1)
        {
            html.Element("p", $"The nodes decide with {MapAgreement.Distinct(status)} different access maps.", ("class", "bad"), ("data-field", "map-mismatch"));
        }

        html.Open("table", ("id", "state")).Element("caption", "Random generator and access map of each node");
        html.Open("thead").Open("tr");
        foreach (var column in Columns)
        {
            html.Element("th", column, ("scope", "col"));
        }

        html.Close("tr").Close("thead").Open("tbody");
        foreach (var node in status.Nodes)
        {
            html.Open("tr", ("data-node", node.Address)).Element("th", StatusFormat.Node(node.Status?.Host, node.Address), ("scope", "row"), ("data-field", "host"));
            if (node.Status is not { } s)
            {
                html.Open("td", ("colspan", $"{Columns.Length - 1}"), ("data-field", "record")).Text("no record yet").Close("td").Close("tr");
                continue;
            }

            var e = s.Entropy;
            html.Cell("entropy", e.Status, e.Status == "ok" ? null : "bad");
            html.Cell("entropy-source", e.Source);
            html.Cell("last-seeded", StatusFormat.Time(e.LastSeeded));
            html.Cell("seedings", StatusFormat.Count(e.Seedings));
            html.Cell("last-failure", e.LastFailure ?? StatusFormat.None);
            Map(html, s.Map, outliers.Contains(node.Address));
            html.Close("tr");
        }

        html.Close("tbody").Close("table").Close("section");
    }

    private static void Map(HtmlWriter html, MapSummary? map, bool differs)
    {
        if (map is null)
        {
            html.Cell("map", "none");
            foreach (var field in (ReadOnlySpan<string>)["digest", "entries", "map-source", "published"])
            {
                html.Cell(field, StatusFormat.None);
            }

            return;
        }

        html.Cell("map", $"v{StatusFormat.Count(map.Version)}", differs ? "bad" : null);
        html.Open("td", ("data-field", "digest"), ("class", differs ? "bad" : null), ("title", map.Digest))
            .Element("code", differs ? $"{StatusFormat.ShortDigest(map.Digest)} (differs)" : StatusFormat.ShortDigest(map.Digest))
            .Close("td");
        html.Cell("entries", StatusFormat.Count(map.Entries));
        html.Cell("map-source", map.Source);
        html.Cell("published", StatusFormat.Time(map.Published));
    }
}
