using Gateway.Access;
using Gateway.Configuration;
using Gateway.Protocol.Access;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway map push</c>: the file is checked here first, so a bad map is refused with its file and line even when no
/// node runs; the node checks it again (it reads the file itself) before it publishes.
/// </summary>
internal static class MapPushCommand
{
    public static async Task<int> RunAsync(QueuePlan plan, TextWriter output, TextWriter error)
    {
        // With --queue-dir there is no configuration to read DontBlameSendmail from: only the text is checked here, and the
        // node, which knows its DontBlameSendmail, checks the file's safety.
        IReadOnlySet<string>? dontBlame;
        try
        {
            dontBlame = plan.QueueDirectory is null ? ConfigurationLoader.Load(plan.ConfigFile, []).DontBlameSendmail : null;
        }
        catch (ConfigurationError e)
        {
            await error.WriteLineAsync($"gateway map push: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Config;
        }

        try
        {
            if (dontBlame is null)
            {
                AccessMap.Parse(File.ReadAllText(plan.File!), plan.File!);
            }
            else
            {
                AccessMapFile.Load(plan.File!, dontBlame);
            }
        }
        catch (Exception e) when (e is AccessMapError or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"gateway map push: not published, nothing changed: {e.Message}").ConfigureAwait(false);
            return ExitCodes.DataError;
        }

        return await QueueCommand.RunAsync(plan, output, error).ConfigureAwait(false);
    }
}
