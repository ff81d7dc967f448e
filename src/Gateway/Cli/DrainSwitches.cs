using System.CommandLine;
using Gateway.Control;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway drain</c>: stop the running node gracefully, as SIGTERM does, through its control socket (found as
/// <c>gateway queue</c> finds it).
/// </summary>
internal sealed class DrainSwitches
{
    public const string Notes = """
        Asks the RUNNING node, through its control socket (<Queue:Directory>/control.sock, found as 'gateway queue'
        finds it), to stop as SIGTERM would: new clients get 421 4.3.2, each session's transaction in flight finishes
        and is acknowledged, idle sessions get 421 4.3.2 at their next command, all within Smtp:DrainTimeout; then the
        spool's commits finish and the node exits 0. The command returns at once, when the node has begun.
        Exit 0 when the node began draining, 64 for usage errors, 69 when the node cannot be reached, 77 when the
        socket is not yours, 78 for an unusable configuration.
        """;

    private readonly ControlSwitches _control = new("print the node's answer as JSON");

    public DrainSwitches()
    {
        Command = new Command("drain", "Stop the running node gracefully, as SIGTERM does: transactions in flight finish first.");
        foreach (var option in _control.All)
        {
            Command.Add(option);
        }
    }

    public Command Command { get; }

    public QueuePlan Plan(ParseResult parsed) => _control.Plan(parsed, ControlRequest.Drain, null);
}
