using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gateway.Tests.Observability;

/// <summary>
/// The status page in a real browser (Debian's chromium, driven by Playwright's bundled driver: nothing is
/// downloaded): three nodes' rows, and session counts that rise and fall through the script's refresh alone, with
/// no script error and no Content-Security-Policy violation on the way; and remote text that stays text when the
/// script draws it.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class StatusPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    // Records are published every 0.2 s and the page refreshes every 2 s: a change shows within a few seconds.
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public async Task Sessions_opened_on_the_nodes_rise_and_fall_on_the_page_without_a_reload()
    {
        await using var cluster = await TestCluster.StartAsync(3, "--Http:Listen=127.0.0.1:0", "--Http:StatusInterval=0.2");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var (page, problems) = await OpenPageAsync(browser);
        var addresses = cluster.Nodes.Select(n => Akka.Cluster.Cluster.Get(n.Node.System).SelfAddress.ToString()).ToList();

        var response = await page.GotoAsync($"http://{cluster.Nodes[0].Node.HttpEndpoint}/");

        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        await Expect(page.Locator("#cluster tbody tr[data-node]")).ToHaveCountAsync(3);
        await Expect(page.Locator("#cluster tbody tr[data-record=fresh]")).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await page.EvaluateAsync("window.sameDocument = true");

        // Node i gets i + 1 sessions; node 0's one is encrypted (STARTTLS), so its TLS share is 100%.
        var sessions = new List<SmtpStream>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    sessions.Add(await OpenAsync(cluster.Nodes[i].Smtp, tls: i == 0));
                }
            }

            for (var i = 0; i < 3; i++)
            {
                await Expect(Cell(page, addresses[i], "sessions")).ToHaveTextAsync($"{i + 1}", Soon);
            }

            await Expect(Cell(page, "total", "sessions")).ToHaveTextAsync("6", Soon);
            await Expect(Cell(page, addresses[0], "tls")).ToHaveTextAsync("100%", Soon);
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }

        await Expect(Cell(page, "total", "sessions")).ToHaveTextAsync("0", Soon);
        foreach (var address in addresses)
        {
            await Expect(Cell(page, address, "sessions")).ToHaveTextAsync("0", Soon);
        }

        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was reloaded: the counts must come from the script's refresh");
        Assert.Empty(await page.EvaluateAsync<string[]>("window.violations"));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Markup_in_a_record_stays_text_when_the_script_redraws_the_page()
    {
        await using var node = await TestNode.StartAsync("--Http:Listen=127.0.0.1:0", "--Http:StatusInterval=0.2");
        var endpoint = node.Node.HttpEndpoint!;
        using var http = new HttpClient();
        var status = await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync(new Uri($"http://{endpoint}/api/status")))!,
            s => s["nodes"]![0]!["status"] is not null,
            "the node's first record");
        var record = status["nodes"]![0]!["status"]!;
        record["host"] = "<img src=x onerror=\"window.pwned = 1\">";
        record["queue"]!["destinations"] = new JsonArray(new JsonObject
        {
            ["domain"] = "example.net",
            ["messages"] = 1,
            ["recipients"] = 1,
            ["oldest"] = null,
            ["lastError"] = "451 4.4.1 <script>window.pwned = 2</script><b>bold</b>",
        });
        record["verify"] = new JsonObject { ["OK"] = 2, ["<i>NO</i>"] = 1 };
        record["map"] = new JsonObject
        {
            ["version"] = 3,
            ["digest"] = "<u>9f</u>",
            ["entries"] = 1,
            ["source"] = "<s>/etc/gateway/access</s>",
            ["published"] = "2026-12-07T03:00:00+00:00",
        };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var (page, problems) = await OpenPageAsync(browser);
        // The script's next refresh reads this answer, as if a remote MTA and a node's name had said so.
        await page.RouteAsync("**/api/status", route => route.FulfillAsync(new() { ContentType = "application/json", Body = status.ToJsonString() }));

        await page.GotoAsync($"http://{endpoint}/");

        var lastError = page.Locator("#queue [data-field=\"last-error\"]");
        await Expect(lastError).ToHaveTextAsync("451 4.4.1 <script>window.pwned = 2</script><b>bold</b>", Soon);
        await Expect(page.Locator("#cluster tbody th[data-field=\"host\"]")).ToHaveTextAsync("<img src=x onerror=\"window.pwned = 1\">", Soon);
        await Expect(page.Locator("#verify th[scope=col]").Nth(1)).ToHaveTextAsync("<i>NO</i>", Soon);
        await Expect(page.Locator("#state [data-field=\"map-source\"]")).ToHaveTextAsync("<s>/etc/gateway/access</s>", Soon);
        Assert.Equal(0, await page.Locator("main img, main script, main b, main i, main u, main s").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("window.pwned === undefined"));
        Assert.Empty(await page.EvaluateAsync<string[]>("window.violations"));
        Assert.Empty(problems);
    }

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: these tests drive Debian's chromium (apt-get install chromium; .ci/run installs it)");
        return await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A page that records console errors and warnings (a CSP refusal is one), uncaught script errors and CSP violations.</summary>
    private static async Task<(IPage Page, ConcurrentQueue<string> Problems)> OpenPageAsync(IBrowser browser)
    {
        var page = await browser.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Enqueue($"console {message.Type} at {message.Location}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Enqueue($"page error: {error}");
        // Registered before any page script runs; an init script comes from the browser, so the CSP does not stop it.
        await page.AddInitScriptAsync(
            "window.violations = [];" +
            "document.addEventListener('securitypolicyviolation', e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));");
        return (page, problems);
    }

    private static ILocator Cell(IPage page, string node, string field) =>
        page.Locator($"#cluster tr[data-node=\"{node}\"] [data-field=\"{field}\"]");

    /// <summary>A session that has had its 220 greeting and stays open; with <paramref name="tls"/>, after STARTTLS.</summary>
    private static async Task<SmtpStream> OpenAsync(IPEndPoint smtp, bool tls)
    {
        var session = await SmtpStream.ConnectAsync(smtp);
        Assert.StartsWith("220 ", await session.ReadReplyAsync(), StringComparison.Ordinal);
        if (tls)
        {
            Assert.StartsWith("250", await session.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
            Assert.StartsWith("220 ", await session.CommandAsync("STARTTLS"), StringComparison.Ordinal);
            await session.StartTlsAsync();
            Assert.StartsWith("250", await session.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        }

        return session;
    }
}
