using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Tests.Support;

namespace Gateway.Tests.Observability;

/// <summary>
/// /health/live and /health/ready on a real node: ready names its four checks; a node that has left the cluster
/// is not ready (member, listening), and once its actor system has stopped it is not live either.
/// </summary>
public sealed class HealthEndpointTests : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_started_node_is_live_and_ready_and_names_each_check()
    {
        await using var node = await TestNode.StartAsync("--Http:Listen=127.0.0.1:0");
        var endpoint = node.Node.HttpEndpoint!;
        Assert.Equal(IPAddress.Loopback, endpoint.Address);
        Assert.NotEqual(0, endpoint.Port);

        var (liveStatus, live) = await Get(endpoint, "/health/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.True(live.GetProperty("checks").GetProperty("actor-system").GetProperty("ok").GetBoolean());

        var (readyStatus, ready) = await Get(endpoint, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("ok", ready.GetProperty("status").GetString());
        var checks = ready.GetProperty("checks");
        Assert.Equal(["seeded", "listening", "member", "spool"], checks.EnumerateObject().Select(c => c.Name).ToArray());
        Assert.All(checks.EnumerateObject(), c => Assert.True(c.Value.GetProperty("ok").GetBoolean(), c.ToString()));
        Assert.Equal("up", checks.GetProperty("member").GetProperty("detail").GetString());
        Assert.Empty(Directory.GetFiles(node.Settings.QueueDirectory, ".ready-probe"));
    }

    [Fact]
    public async Task A_node_that_left_the_cluster_is_not_ready_and_once_stopped_not_live()
    {
        await using var node = await TestNode.StartAsync("--Http:Listen=127.0.0.1:0");
        var endpoint = node.Node.HttpEndpoint!;
        var cluster = Akka.Cluster.Cluster.Get(node.Node.System);
        var removed = new TaskCompletionSource();
        cluster.RegisterOnMemberRemoved(removed.SetResult);

        await cluster.LeaveAsync();
        await removed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var (readyStatus, ready) = await Get(endpoint, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        Assert.Equal("failing", ready.GetProperty("status").GetString());
        var member = ready.GetProperty("checks").GetProperty("member");
        Assert.False(member.GetProperty("ok").GetBoolean());
        // The last status this node saw of itself: Exiting or Removed, depending on how far the leave got before the cluster stopped.
        Assert.Contains(member.GetProperty("detail").GetString(), new[] { "exiting", "removed" });

        // Leaving runs the coordinated shutdown, which ends the actor system: from then on the node is not live.
        await node.Node.System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(60));
        var (liveStatus, live) = await Get(endpoint, "/health/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, liveStatus);
        Assert.Equal("terminated", live.GetProperty("checks").GetProperty("actor-system").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Without_Http_Listen_there_is_no_endpoint()
    {
        // TestNode turns it off unless asked (no fixed port in tests).
        await using var node = await TestNode.StartAsync();
        Assert.Null(node.Node.HttpEndpoint);
    }

    [Fact]
    public async Task An_address_already_in_use_stops_start_up_naming_Http_Listen()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync($"--Http:Listen=127.0.0.1:{port}"));
        Assert.Equal("Http:Listen", error.Key);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Get(IPEndPoint endpoint, string path)
    {
        using var response = await _http.GetAsync(new Uri($"http://{endpoint}{path}"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }
}
