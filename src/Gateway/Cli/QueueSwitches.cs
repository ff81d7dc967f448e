using System.CommandLine;
using Gateway.Control;

namespace Gateway.Cli;

/// <summary>
/// The command line of <c>gateway queue</c>: one subcommand per operation, each with the queue id it takes and the same
/// three switches (where the node's configuration or spool is, and <c>--json</c>), declared once for the parser and the
/// generated help.
/// </summary>
internal sealed class QueueSwitches
{
    public const string Notes = """
        Talks to the RUNNING node through its control socket, <Queue:Directory>/control.sock, never to the spool files
        behind its back. The socket is mode 0600: run the command as the node's user (or root).
        The socket is found with --queue-dir DIR, or in the configuration the node was started with: --config FILE,
        else ./gateway.json if it exists, and the GATEWAY_* environment variables; a relative Queue:Directory is taken
        from the current directory, as the node took it from its own.
        'list' prints, like mailq, each message's id, size, arrival, age, state (deferred, due, active, hold) and sender,
        then why it waits, then each recipient with its state and last reply; --json prints one JSON object per message
        and line (as postqueue -j). The other commands print what the queue did.
        Exit 0 when done, 1 when the queue did nothing (no such message; in a delivery attempt now; not deferred),
        64 for usage errors, 69 when the node cannot be reached or does not answer, 70 when its answer makes no sense,
        77 when the socket is not yours, 78 for an unusable configuration.
        """;

    private readonly List<(Command Command, Func<ParseResult, QueuePlan> Plan)> _operations = [];

    public QueueSwitches()
    {
        Command = new Command("queue", "The node's outbound queue, as Postfix's mailq and postsuper: list it; retry, hold, release, delete or bounce a message.");
        Add(ControlRequest.List, "List the queue, like mailq: each message and its recipients with the last reply.", Id.None);
        Add(ControlRequest.Flush, "Try now every message waiting for a retry, or the one named.", Id.Optional);
        Add(ControlRequest.Hold, "Put a message on hold: no attempt until it is released (postsuper -h).", Id.Required);
        Add(ControlRequest.Release, "Release a held message; it is tried now (postsuper -H).", Id.Required);
        Add(ControlRequest.Delete, "Remove a message from the spool, without a report to its sender (postsuper -d).", Id.Required);
        Add(ControlRequest.Bounce, "Fail every pending recipient now; the sender gets a delivery report as NOTIFY asks.", Id.Required);
    }

    private enum Id
    {
        None,
        Optional,
        Required,
    }

    /// <summary><c>gateway queue</c>, with the operations under it.</summary>
    public Command Command { get; }

    /// <summary>Each operation's command and how its plan is read.</summary>
    public IReadOnlyList<(Command Command, Func<ParseResult, QueuePlan> Plan)> Operations => _operations;

    private void Add(string op, string description, Id takesId)
    {
        var control = new ControlSwitches(op == ControlRequest.List ? "one JSON object per message and line" : "print the queue's answer as JSON");
        var command = new Command(op, description);
        foreach (var option in control.All)
        {
            command.Add(option);
        }

        Argument<string>? id = null;
        if (takesId != Id.None)
        {
            id = new Argument<string>("ID")
            {
                Arity = takesId == Id.Required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne,
                Description = takesId == Id.Required ? "the queue id, as 'gateway queue list' shows it" : "the queue id (default: every deferred message)",
            };
            command.Add(id);
        }

        Command.Add(command);
        _operations.Add((command, parsed => control.Plan(parsed, op, id is null ? null : parsed.GetValue(id))));
    }
}
