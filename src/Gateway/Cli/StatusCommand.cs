using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Protocol.Status;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway status</c>: GET /api/status from one node (any node answers for the cluster) and print the table, or
/// the JSON; with --watch again every 2 s until Ctrl-C, the screen cleared between tables when it is a terminal.
/// </summary>
internal static class StatusCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>ANSI: cursor home, clear screen. Only for a terminal; a file or a pipe gets the tables one after another.</summary>
    private const string ClearScreen = "\u001b[H\u001b[2J";

    public static async Task<int> RunAsync(StatusPlan plan, CommandLineConsole console, bool terminal)
    {
        using var http = new HttpClient { Timeout = Timeout };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var stop = plan.Watch ? console.Interrupt() : CancellationToken.None;
        while (true)
        {
            var (ok, text) = await FetchAsync(http, plan, stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return 0;
            }

            if (!ok)
            {
                await console.Error.WriteLineAsync($"gateway status: {text}").ConfigureAwait(false);
                if (!plan.Watch)
                {
                    return ExitCodes.Unavailable;
                }
            }
            else
            {
                if (plan.Watch && terminal && !plan.Json)
                {
                    await console.Output.WriteAsync(ClearScreen).ConfigureAwait(false);
                }

                await console.Output.WriteAsync(text).ConfigureAwait(false);
                await console.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }

            if (!plan.Watch)
            {
                return 0;
            }

            try
            {
                await Task.Delay(StatusPlan.Refresh, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }
    }

    /// <summary>The text to print, or why there is none ("cannot reach http://…: Connection refused").</summary>
    private static async Task<(bool Ok, string Text)> FetchAsync(HttpClient http, StatusPlan plan, CancellationToken stop)
    {
        try
        {
            using var response = await http.GetAsync(plan.Status, stop).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(stop).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (false, $"{plan.Status} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body.Trim()}");
            }

            // The JSON as the node gave it, one line per refresh (ndjson with --watch); the table from the same answer.
            return plan.Json ? (true, body.TrimEnd() + "\n") : (true, StatusTableText.Render(StatusJson.ReadCluster(body)));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return (false, "interrupted");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (false, $"cannot reach {plan.Node} (Http:Listen of a node): {(e is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message)}");
        }
        catch (JsonException e)
        {
            return (false, $"{plan.Status} did not answer with a cluster status: {e.Message}");
        }
    }
}
