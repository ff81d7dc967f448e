using System.Text.RegularExpressions;
using Gateway.Http.Page;
using Gateway.Protocol.Status;

namespace Gateway.Tests.Observability;

/// <summary>
/// The status page's server-side renderer: remote text (a remote MTA's reply, a host name) arrives only as encoded
/// text; stale and missing records are shown as such; the totals row is ClusterTotals; a different map stands out.
/// </summary>
public sealed class StatusPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Markup_in_a_last_error_a_host_name_or_a_domain_is_shown_as_text()
    {
        var hostile = Record("a", host: "<img src=x onerror=alert(1)>") with
        {
            Queue = QueueSummary.Empty with
            {
                Destinations = [new DestinationSummary("\"><svg onload=alert(2)>", 1, 1, Now, "451 4.4.1 <script>alert(3)</script> & 'x'")],
            },
        };

        var html = StatusPage.Render(Cluster((Member("a"), hostile)));

        Assert.Contains("451 4.4.1 &lt;script&gt;alert(3)&lt;/script&gt; &amp; &#39;x&#39;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("data-destination=\"&quot;&gt;&lt;svg onload=alert(2)&gt;\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg onload", html, StringComparison.Ordinal);
        // The one script element is the page's own, by reference: the CSP allows no inline script.
        Assert.Equal(["<script src=\"/status.js\" defer=\"\"></script>"], Regex.Matches(html, "<script[^>]*>[^<]*</script>").Select(m => m.Value));
    }

    [Fact]
    public void A_stale_record_and_a_node_without_one_are_marked_and_left_out_of_the_totals()
    {
        var status = ClusterStatus.Of(
            "akka.tcp://gateway@10.0.0.1:4053",
            Now,
            [Member("a"), Member("b"), Member("c"), Member("d", reachable: false)],
            new Dictionary<string, ClusterStatus.Received>
            {
                ["a"] = new(Record("a", open: 3, tls: 2, accepted: 10), Now),
                ["b"] = new(Record("b", open: 2, tls: 0, accepted: 5), Now),
                ["c"] = new(Record("c", open: 7, tls: 7, accepted: 100), Now.AddMinutes(-1)),
            },
            staleAfter: TimeSpan.FromSeconds(6));

        var html = StatusPage.Render(status);

        var stale = Row(html, "c");
        Assert.Contains("data-record=\"stale\"", stale, StringComparison.Ordinal);
        Assert.Equal("serving (stale record)", Field(stale, "state"));
        var none = Row(html, "d");
        Assert.Contains("data-record=\"none\"", none, StringComparison.Ordinal);
        Assert.Equal("no record yet", Field(none, "state"));
        Assert.Equal("—", Field(none, "sessions"));
        Assert.Equal("up, unreachable", Field(none, "member"));
        var totals = Row(html, "total");
        Assert.Equal("Total: 4 nodes, 3 up", Field(totals, "host"));
        Assert.Equal("5", Field(totals, "sessions"));
        Assert.Equal("40%", Field(totals, "tls"));
        Assert.Equal("15", Field(totals, "accepted"));
        Assert.Equal("67%", Field(Row(html, "a"), "tls"));
    }

    [Fact]
    public void A_node_deciding_with_another_access_map_stands_out()
    {
        var html = StatusPage.Render(Cluster(
            (Member("a"), Record("a") with { Map = Map("4f1c2a9b7e3d00112233") }),
            (Member("b"), Record("b") with { Map = Map("4f1c2a9b7e3d00112233") }),
            (Member("c"), Record("c") with { Map = Map("99aa88bb77cc66dd5544") })));

        Assert.Contains("The nodes decide with 2 different access maps.", html, StringComparison.Ordinal);
        Assert.Equal("v7 99aa88bb77cc (differs)", Field(Row(html, "c"), "map"));
        Assert.Equal("v7 4f1c2a9b7e3d", Field(Row(html, "a"), "map"));
    }

    [Fact]
    public void The_same_map_everywhere_raises_nothing()
    {
        var html = StatusPage.Render(Cluster(
            (Member("a"), Record("a") with { Map = Map("4f1c2a9b7e3d") }),
            (Member("b"), Record("b") with { Map = Map("4f1c2a9b7e3d") })));

        Assert.DoesNotContain("map-mismatch", html, StringComparison.Ordinal);
        Assert.DoesNotContain("(differs)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_verify_mix_is_shown_per_node_and_summed()
    {
        var html = StatusPage.Render(Cluster(
            (Member("a"), Record("a") with { Verify = new Dictionary<string, long> { ["OK"] = 3, ["NO"] = 1 } }),
            (Member("b"), Record("b") with { Verify = new Dictionary<string, long> { ["OK"] = 2, ["FAIL"] = 4 } })));

        var verify = html[html.IndexOf("<table id=\"verify\"", StringComparison.Ordinal)..];
        Assert.Equal(["FAIL 4", "NO 0", "OK 2"], VerifyCells(Row(verify, "b")));
        Assert.Equal(["FAIL 4", "NO 1", "OK 5"], VerifyCells(Row(verify, "total")));
    }

    [Fact]
    public void A_chart_puts_the_newest_point_at_the_right_edge_and_the_peak_at_the_top()
    {
        Assert.Equal("178,31 180,1", HistoryCharts.Points([0, 2], interval: 10));
        Assert.Equal(90, HistoryCharts.Slots(10));
        Assert.Equal(900, HistoryCharts.Slots(1));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(-5, "0s")]
    [InlineData(59, "59s")]
    [InlineData(192, "3m 12s")]
    [InlineData(7500, "2h 5m")]
    [InlineData(360000, "4d 4h")]
    public void Ages_read_in_their_two_largest_units(int seconds, string text) => Assert.Equal(text, StatusFormat.Age(TimeSpan.FromSeconds(seconds)));

    /// <summary>A node's row ("total" for the totals row) in the first table that has one.</summary>
    private static string Row(string html, string node) =>
        Regex.Match(html, $"<tr data-node=\"{Regex.Escape(node == "total" ? node : Address(node))}\"[^>]*>.*?</tr>").Value;

    private static string Field(string row, string field) =>
        System.Net.WebUtility.HtmlDecode(Regex.Match(row, $"<t[dh][^>]* data-field=\"{field}\"[^>]*>(.*?)</t[dh]>").Groups[1].Value);

    private static string[] VerifyCells(string row) =>
        [.. Regex.Matches(row, "<td data-field=\"verify\" data-verify=\"([A-Z]+)\">([0-9]+)</td>").Select(m => $"{m.Groups[1]} {m.Groups[2]}")];

    private static string Address(string id) => $"akka.tcp://gateway@10.0.0.{id[0] - 'a' + 1}:4053";

    private static ClusterStatus.Member Member(string id, bool reachable = true) => new(id, Address(id), "up", reachable);

    private static ClusterStatus Cluster(params (ClusterStatus.Member Member, NodeStatus Record)[] nodes) =>
        ClusterStatus.Of(
            Address("a"),
            Now,
            nodes.Select(n => n.Member),
            nodes.ToDictionary(n => n.Member.Id, n => new ClusterStatus.Received(n.Record, Now)),
            TimeSpan.FromSeconds(6));

    private static MapSummary Map(string digest) => new(7, digest, 12, "/etc/gateway/access", Now.AddHours(-1));

    private static NodeStatus Record(string id, string? host = null, int open = 0, int tls = 0, long accepted = 0) => new(
        Address(id),
        host ?? $"mx-{id}.example",
        "1.0.0",
        Now.AddHours(-2),
        Now,
        NodeStatus.Serving,
        new SessionCounts(open, tls, open),
        new TrafficCounts(accepted, 0, tls, 0, 0.5, 0.1),
        new Dictionary<string, long>(),
        QueueSummary.Empty,
        new EntropySummary("ok", "kernel (/dev/urandom)", Now.AddMinutes(-5), 1, null),
        null,
        StatusSeries.Empty().Append(open, 5, 1));
}
