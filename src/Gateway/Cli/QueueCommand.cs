using System.Net.Sockets;
using Gateway.Configuration;
using Gateway.Control;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway queue list|flush|hold|release|delete|bounce</c>: one request to the running node's control socket
/// (<see cref="ControlSocket"/>) and its answer, printed as text or JSON. Exit codes: 0 done, 1 the queue did nothing,
/// 69 no node to ask, 70 an answer that makes no sense, 77 not the node's user, 78 an unusable configuration.
/// </summary>
internal static class QueueCommand
{
    /// <summary>The queue answered, but did nothing (no such message …): not a sysexits case, so 1, as postsuper's failures.</summary>
    public const int Refused = 1;

    public static async Task<int> RunAsync(QueuePlan plan, TextWriter output, TextWriter error)
    {
        var name = plan.Op switch
        {
            ControlRequest.Drain => "gateway drain",
            ControlRequest.MapPush => "gateway map push",
            ControlRequest.MapStatus => "gateway map status",
            _ => $"gateway queue {plan.Op}",
        };
        string path;
        try
        {
            path = ControlSocket.PathIn(plan.QueueDirectory ?? ConfigurationLoader.Load(plan.ConfigFile, []).QueueDirectory);
        }
        catch (ConfigurationError e)
        {
            await error.WriteLineAsync($"{name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Config;
        }

        ControlAnswer answer;
        try
        {
            answer = await ControlClient.ExchangeAsync(path, new ControlRequest(plan.Op, plan.Id, plan.File)).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            await error.WriteLineAsync($"{name}: {path}: permission denied; the control socket is the node's user's alone (mode 0600)").ConfigureAwait(false);
            return ExitCodes.NoPermission;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or ArgumentException)
        {
            await error.WriteLineAsync($"{name}: {Unreachable(path, e)}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }

        return await PrintAsync(plan, name, answer, output, error).ConfigureAwait(false);
    }

    private static async Task<int> PrintAsync(QueuePlan plan, string name, ControlAnswer answer, TextWriter output, TextWriter error)
    {
        if (answer.Error is { } refused)
        {
            // The node is there but did not get as far as its queue: unavailable for now, or a client it does not understand.
            await error.WriteLineAsync($"{name}: the node answered: {answer.Text}").ConfigureAwait(false);
            return refused is ControlAnswer.Timeout or ControlAnswer.Busy ? ExitCodes.Unavailable : ExitCodes.Software;
        }

        if (plan.Op == ControlRequest.List && answer.Ok)
        {
            var messages = answer.Messages ?? [];
            await output.WriteAsync(plan.Json
                ? string.Concat(messages.Select(m => ControlCodec.Text(m) + "\n"))
                : QueueListingText.Render(messages, DateTimeOffset.UtcNow)).ConfigureAwait(false);
            return 0;
        }

        if (plan.Json)
        {
            await output.WriteLineAsync(ControlCodec.Text(answer)).ConfigureAwait(false);
        }
        else
        {
            await (answer.Ok ? output : error).WriteLineAsync(answer.Ok ? answer.Text : $"{name}: {answer.Text}").ConfigureAwait(false);
        }

        return answer.Ok ? 0 : Refused;
    }

    private static string Unreachable(string path, Exception e) => e switch
    {
        ArgumentException => $"{path}: too long for a Unix socket path, so the node has no control socket there (see its log)",
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
            $"{path}: nobody listens there; the node is not running (a socket left by one that crashed)",
        SocketException when !File.Exists(path) =>
            $"no control socket {path}: the node is not running, or not with this Queue:Directory",
        _ => $"{path}: {e.Message}",
    };
}
