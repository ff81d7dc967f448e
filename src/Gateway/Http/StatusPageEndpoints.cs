using System.Text;
using Akka.Actor;
using Gateway.Actors.Status;
using Gateway.Http.Page;
using Gateway.Protocol.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Http;

/// <summary>
/// <c>/</c> (the status page), <c>/status.js</c>, <c>/status.css</c> and <c>/favicon.svg</c> (embedded in this assembly: nothing on disk
/// to go missing or be swapped). GET only: the page reads the cluster and changes nothing.
/// Trust: the records hold remote text (host names, remote MTAs' replies); the page encodes it, and the policy below
/// keeps anything that slipped through from running: scripts and styles only from this origin, none inline.
/// </summary>
internal static class StatusPageEndpoints
{
    /// <summary>No inline script or style, no frames, no form posts, fetch only back to this listener.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(WebApplication app, IActorRef status)
    {
        var script = Asset("status.js");
        var css = Asset("status.css");
        var icon = Asset("favicon.svg");
        app.MapGet("/", context => Page(context, status));
        app.MapGet("/status.js", context => Send(context, "text/javascript; charset=utf-8", script));
        app.MapGet("/status.css", context => Send(context, "text/css; charset=utf-8", css));
        // Linked from the page, so that browsers do not ask for /favicon.ico and log its 404 as an error.
        app.MapGet("/favicon.svg", context => Send(context, "image/svg+xml", icon));
    }

    /// <summary>The headers of every answer from the page's endpoints and the API it reads.</summary>
    public static void Protect(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static async Task Page(HttpContext context, IActorRef status)
    {
        Protect(context.Response);
        ClusterStatus cluster;
        try
        {
            cluster = await status.Ask<ClusterStatus>(NodeStatusProtocol.GetClusterStatus.Instance, HttpEndpoints.StatusAskTimeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await Send(context, "text/plain; charset=utf-8", "the node's status actor did not answer within 2 s\n"u8.ToArray()).ConfigureAwait(false);
            return;
        }

        await Send(context, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(StatusPage.Render(cluster))).ConfigureAwait(false);
    }

    private static Task Send(HttpContext context, string contentType, byte[] body)
    {
        Protect(context.Response);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    private static byte[] Asset(string name)
    {
        using var stream = typeof(StatusPageEndpoints).Assembly.GetManifestResourceStream($"Gateway.Http.Page.{name}")
            ?? throw new InvalidOperationException($"the assembly lacks its embedded {name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
