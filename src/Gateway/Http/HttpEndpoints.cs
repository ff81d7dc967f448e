using System.Net;
using System.Text.Json;
using Akka.Actor;
using Gateway.Actors.Metrics;
using Gateway.Actors.Status;
using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Protocol.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Gateway.Http;

/// <summary>
/// Http:Listen: <c>/metrics</c> (Prometheus text, from OpenTelemetry's exporter over the "Gateway" meter and .NET's "System.Runtime"),
/// <c>/health/live</c>, <c>/health/ready</c>, <c>/api/status</c> and the status page at <c>/</c>
/// (<see cref="StatusPageEndpoints"/>). Its own small Kestrel host beside the node's: it reads the node
/// (actors by message, the cluster's snapshot) and changes nothing. Loopback by default, it is for the operator and
/// the orchestrator's probes, never for SMTP clients.
/// </summary>
internal sealed class HttpEndpoints : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NodeGauges _gauges;

    private HttpEndpoints(WebApplication app, NodeGauges gauges, IPEndPoint endpoint)
    {
        _app = app;
        _gauges = gauges;
        Endpoint = endpoint;
    }

    /// <summary>The bound address (Http:Listen's port 0 resolved).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Null when Http:Listen is empty; a ConfigurationError naming Http:Listen when it cannot be bound.</summary>
    public static async Task<HttpEndpoints?> StartAsync(
        GatewaySettings settings, ActorSystem system, NodeGuardian.NodeStarted started, Action<ILoggingBuilder> configureLogging)
    {
        if (settings.HttpListen is not { } listen)
        {
            return null;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // A failed bind is reported once, as the ConfigurationError below, not again with the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(listen);
            k.AddServerHeader = false;
        });
        // The node's host owns SIGTERM and the drain; a second console lifetime here would stop this one on its own.
        builder.Services.AddSingleton<IHostLifetime, NodeOwnsLifetime>();
        builder.Services.AddRoutingCore();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName)
            // .NET's own runtime meter (GC heap, working set, threads, thread pool): what a soak watches for leaks.
            .AddMeter("System.Runtime")
            // Every scrape sees the counts of that moment: a test, or `curl` after a load, must not read a cached page.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

        var app = builder.Build();
        var gauges = new NodeGauges(system, started.Queue, started.Entropy);
        var readiness = new Readiness(system, started.Entropy, settings.QueueDirectory);
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/metrics")
            {
                await gauges.RefreshAsync().ConfigureAwait(false);
            }

            await next(context).ConfigureAwait(false);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint();
        app.MapGet("/health/live", context => Live(context, readiness));
        app.MapGet("/health/ready", context => Ready(context, readiness));
        app.MapGet("/api/status", context => Status(context, started.Status));
        StatusPageEndpoints.Map(app, started.Status);

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            gauges.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ConfigurationError("Http:Listen", $"cannot listen on {listen}: {e.Message}");
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address);
        return new HttpEndpoints(app, gauges, new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port));
    }

    private static Task Live(HttpContext context, Readiness readiness)
    {
        var live = readiness.Live;
        return Json(context, live, [new Readiness.Check("actor-system", live, live ? "running" : "terminated")]);
    }

    private static async Task Ready(HttpContext context, Readiness readiness)
    {
        var checks = await readiness.CheckAsync().ConfigureAwait(false);
        await Json(context, checks.All(c => c.Ok), checks).ConfigureAwait(false);
    }

    /// <summary>The cluster as this node sees it (<see cref="ClusterStatus"/>, camelCase JSON); 503 if the status actor is silent.</summary>
    private static async Task Status(HttpContext context, IActorRef status)
    {
        StatusPageEndpoints.Protect(context.Response);
        try
        {
            var cluster = await status.Ask<ClusterStatus>(NodeStatusProtocol.GetClusterStatus.Instance, StatusAskTimeout).ConfigureAwait(false);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(StatusJson.Write(cluster)).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("the node's status actor did not answer within 2 s\n").ConfigureAwait(false);
        }
    }

    internal static readonly TimeSpan StatusAskTimeout = TimeSpan.FromSeconds(2);

    /// <summary>200 or 503 and {"status":"ready"|"not ready","checks":{"name":{"ok":bool,"detail":"…"}}}: which check failed, and why.</summary>
    private static async Task Json(HttpContext context, bool ok, IReadOnlyList<Readiness.Check> checks)
    {
        context.Response.StatusCode = ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", ok ? "ok" : "failing");
            json.WriteStartObject("checks");
            foreach (var check in checks)
            {
                json.WriteStartObject(check.Name);
                json.WriteBoolean("ok", check.Ok);
                json.WriteString("detail", check.Detail);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray()).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _gauges.Dispose();
    }

    /// <summary>Starts and stops only when the node says so: no signal handling, no "press Ctrl+C" line.</summary>
    private sealed class NodeOwnsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
