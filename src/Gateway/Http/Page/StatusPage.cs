using Gateway.Protocol.Status;

namespace Gateway.Http.Page;

/// <summary>
/// The status page at <c>/</c>: the whole cluster as one node sees it, rendered on the server from the same
/// <see cref="ClusterStatus"/> that <c>/api/status</c> answers, so it reads without JavaScript. /status.js then
/// redraws <c>main</c> from the API every 2 s. No inline script or style: the Content-Security-Policy forbids both.
/// </summary>
internal static class StatusPage
{
    public static string Render(ClusterStatus status)
    {
        var html = new HtmlWriter().Doctype();
        html.Open("html", ("lang", "en")).Open("head");
        html.Open("meta", ("charset", "utf-8"));
        html.Open("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"));
        html.Element("title", "Gateway cluster status");
        html.Open("link", ("rel", "stylesheet"), ("href", "/status.css"));
        html.Open("link", ("rel", "icon"), ("href", "/favicon.svg"), ("type", "image/svg+xml"));
        html.Open("script", ("src", "/status.js"), ("defer", "")).Close("script");
        html.Close("head").Open("body").Open("header").Element("h1", "Gateway cluster status");
        // Outside main, so that the script's redraw keeps it: it says whether the figures are live.
        html.Element("p", "Rendered by the server; the script refreshes it every 2 s.", ("id", "refresh"), ("data-field", "refresh"));
        html.Close("header");
        Content(html, status);
        html.Close("body").Close("html");
        return html.ToString();
    }

    /// <summary>Everything the script redraws, in the order it draws it.</summary>
    private static void Content(HtmlWriter html, ClusterStatus status)
    {
        html.Open("main", ("id", "status"));
        html.Open("p", ("class", "observer")).Text("Answered by ").Element("span", status.Observer, ("data-field", "observer"))
            .Text(" at ").Element("span", StatusFormat.Time(status.Generated), ("data-field", "generated")).Text(".").Close("p");
        ClusterTable.Write(html, status);
        HistoryCharts.Write(html, status);
        QueueTable.Write(html, status);
        VerifyTable.Write(html, status);
        NodeStateTable.Write(html, status);
        html.Close("main");
    }
}
