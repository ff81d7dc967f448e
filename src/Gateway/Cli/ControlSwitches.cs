using System.CommandLine;

namespace Gateway.Cli;

/// <summary>
/// The switches of every command that talks to the running node's control socket (<c>gateway queue …</c>,
/// <c>gateway drain</c>): where its configuration or spool is, and <c>--json</c>; declared once, one set per command.
/// </summary>
internal sealed class ControlSwitches
{
    private readonly Option<string?> _config = Switches.Text("--config", "FILE", "the node's JSON configuration, for its Queue:Directory (default: ./gateway.json if it exists)");
    private readonly Option<string?> _queueDir = Switches.Text("--queue-dir", "DIR", "the node's Queue:Directory, instead of reading its configuration");
    private readonly Option<bool> _json;

    public ControlSwitches(string jsonDescription) => _json = Switches.Flag("--json", jsonDescription);

    public IEnumerable<Option> All => [_config, _queueDir, _json];

    /// <summary>The plan for <paramref name="op"/>; a usage error when both say where the spool is.</summary>
    public QueuePlan Plan(ParseResult parsed, string op, string? id, string? file = null)
    {
        var (config, directory) = (parsed.GetValue(_config), parsed.GetValue(_queueDir));
        if (config is not null && directory is not null)
        {
            throw new UsageError("--config and --queue-dir both say where the spool is; give one");
        }

        return new QueuePlan(op, id, config, directory, parsed.GetValue(_json), file);
    }
}
