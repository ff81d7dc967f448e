using System.Net;
using Gateway.Tests.Support;

namespace Gateway.Tests.Observability;

/// <summary>
/// The status page over HTTP on a real node: the page, its script and stylesheet carry the policy that keeps remote
/// text inert (CSP without inline script, nosniff) and are never cached; the page answers GET only.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class StatusPageEndpointTests : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_page_its_assets_and_the_api_carry_the_policy_and_are_not_cached()
    {
        await using var node = await TestNode.StartAsync("--Http:Listen=127.0.0.1:0");
        var endpoint = node.Node.HttpEndpoint!;

        (string Path, string Type)[] answers =
        [
            ("/", "text/html"), ("/status.js", "text/javascript"), ("/status.css", "text/css"), ("/favicon.svg", "image/svg+xml"),
            ("/api/status", "application/json"),
        ];
        foreach (var (path, type) in answers)
        {
            using var response = await _http.GetAsync(new Uri($"http://{endpoint}{path}"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.True(response.Headers.CacheControl?.NoStore, path);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_page_is_rendered_on_the_server_and_answers_only_GET()
    {
        await using var node = await TestNode.StartAsync("--Http:Listen=127.0.0.1:0");
        var page = new Uri($"http://{node.Node.HttpEndpoint}/");
        var address = Akka.Cluster.Cluster.Get(node.Node.System).SelfAddress.ToString();

        var html = await _http.GetStringAsync(page);
        using var post = await _http.PostAsync(page, new StringContent("x"));
        using var delete = await _http.DeleteAsync(page);

        Assert.Contains($"<tr data-node=\"{address}\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/status.js\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
    }
}
