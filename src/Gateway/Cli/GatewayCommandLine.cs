using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Gateway.Load;

namespace Gateway.Cli;

/// <summary>
/// The one command line of <c>gateway</c>, built here and nowhere else. The root command runs a node, so plain
/// <c>gateway</c> and <c>gateway --Smtp:Listen:0=…</c> still start one; each subcommand declares its switches once
/// (<c>XxxSwitches</c>), and System.CommandLine generates <c>--help</c> and the <c>[suggest]</c> completions from them.
/// Exit codes are sysexits.h's: 64 for any command line that cannot be run, named by the command; 78 and 69 come from
/// the commands themselves (an unusable file, an unreachable server).
/// </summary>
internal sealed class GatewayCommandLine
{
    /// <summary>The root's notes: the run switches are hidden there (they would show in every subcommand's usage).</summary>
    private const string RootNotes = """
        gateway [run] [--config FILE] [--Section:Key=value ...]   start a node; 'gateway run --help' for the settings
        gateway queue list|flush|hold|release|delete|bounce       the running node's queue, like mailq and postsuper
        gateway drain                                             stop the running node gracefully, as SIGTERM does
        gateway status [--node URL] [--json] [--watch]            the cluster at a glance, from any node's Http:Listen
        gateway COMMAND --help                                    a command's switches, notes and exit codes
        Exit codes as sysexits.h: 64 usage, 69 unavailable, 78 configuration.
        """;

    private readonly CommandLineConsole _console;
    private readonly RootCommand _root;

    public GatewayCommandLine(CommandLineConsole console)
    {
        _console = console;
        _root = Build();
    }

    public static Task<int> InvokeAsync(IReadOnlyList<string> args, CommandLineConsole console) => new GatewayCommandLine(console).InvokeAsync(args);

    public async Task<int> InvokeAsync(IReadOnlyList<string> args)
    {
        var line = HelpWord(args);
        var parsed = _root.Parse(line, Switches.Parsing);
        if (parsed.Action is ParseErrorAction)
        {
            return Refuse(parsed, Switches.Errors(parsed, line));
        }

        var invocation = new InvocationConfiguration
        {
            Output = _console.Output,
            Error = _console.Error,

            // An exception is a bug: let it end the process with its stack trace, as before.
            EnableDefaultExceptionHandler = false,

            // Ctrl-C stays with the commands: `run` has the host's graceful shutdown, `load` prints its partial report.
            ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
    }

    private RootCommand Build()
    {
        var root = new RootCommand("An SMTP gateway for the edge of an organisation. With no command, or with 'run', it starts a node.")
        {
            // The name in usage lines, whatever runs the assembly (dotnet, a test host).
            HelpName = "gateway",
        };
        var help = new CommandHelp(new HelpAction());
        root.Options.OfType<HelpOption>().Single().Action = help;
        help.Note(root, RootNotes);

        var rootRun = new RunSwitches(root);
        Act(root, parsed => RunCommand.RunAsync(rootRun.Plan(parsed), _console.Output, _console.Error));

        var run = new Command("run", "Start a gateway node (the default) and run until stopped; prints where it listens.");
        var runRun = new RunSwitches(run);
        Act(run, parsed => RunCommand.RunAsync(runRun.Plan(parsed), _console.Output, _console.Error));
        help.Note(run, RunSwitches.Notes);

        var ca = new CaSwitches();
        Act(ca.Command, _ => throw new UsageError("expected 'init' or 'issue'"));
        Act(ca.Init, parsed => Task.FromResult(CaCommand.Init(ca.InitPlan(parsed), _console.Output, _console.Error)));
        Act(ca.Issue, parsed => Task.FromResult(CaCommand.Issue(ca.IssuePlan(parsed), _console.Output, _console.Error)));
        help.Note(ca.Command, CaSwitches.Notes);
        help.Note(ca.Init, CaSwitches.Notes);
        help.Note(ca.Issue, CaSwitches.Notes);

        var probe = new ProbeSwitches();
        Act(probe.Command, parsed => ProbeCommand.RunAsync(probe.Plan(parsed), _console.Output, _console.Error));
        help.Note(probe.Command, ProbeSwitches.Notes);

        // 'gateway map' alone shows its help, as before.
        var map = new MapTestSwitches();
        Act(map.Command, parsed => Task.FromResult(help.Invoke(parsed)));
        Act(map.Test, parsed => Task.FromResult(MapTestCommand.Run(map.Plan(parsed), _console.Output, _console.Error)));
        help.Note(map.Test, MapTestSwitches.TestNotes);
        var replicated = new MapPushSwitches();
        map.Command.Add(replicated.Push);
        map.Command.Add(replicated.Status);
        Act(replicated.Push, parsed => MapPushCommand.RunAsync(replicated.PushPlan(parsed), _console.Output, _console.Error));
        Act(replicated.Status, parsed => QueueCommand.RunAsync(replicated.StatusPlan(parsed), _console.Output, _console.Error));
        help.Note(replicated.Push, MapPushSwitches.PushNotes);
        help.Note(replicated.Status, MapPushSwitches.StatusNotes);

        // 'gateway queue' alone shows its help, as 'gateway map' does.
        var queue = new QueueSwitches();
        Act(queue.Command, parsed => Task.FromResult(help.Invoke(parsed)));
        help.Note(queue.Command, QueueSwitches.Notes);
        foreach (var (command, plan) in queue.Operations)
        {
            Act(command, parsed => QueueCommand.RunAsync(plan(parsed), _console.Output, _console.Error));
            help.Note(command, QueueSwitches.Notes);
        }

        var drain = new DrainSwitches();
        Act(drain.Command, parsed => QueueCommand.RunAsync(drain.Plan(parsed), _console.Output, _console.Error));
        help.Note(drain.Command, DrainSwitches.Notes);

        var status = new StatusSwitches();
        Act(status.Command, parsed => StatusCommand.RunAsync(status.Plan(parsed), _console, !Console.IsOutputRedirected && _console.Output == Console.Out));
        help.Note(status.Command, StatusSwitches.Notes);

        var load = new LoadSwitches();
        Act(load.Command, parsed => LoadCommand.RunAsync(load.Plan(parsed), _console));
        help.Note(load.Command, LoadSwitches.Notes);

        root.Add(run);
        root.Add(ca.Command);
        root.Add(probe.Command);
        root.Add(map.Command);
        root.Add(load.Command);
        root.Add(queue.Command);
        root.Add(drain.Command);
        root.Add(status.Command);
        return root;
    }

    /// <summary>Sets the command's action; a <see cref="UsageError"/> from it is refused like a parse error.</summary>
    private void Act(Command command, Func<ParseResult, Task<int>> action) =>
        command.SetAction(async parsed =>
        {
            try
            {
                return await action(parsed).ConfigureAwait(false);
            }
            catch (UsageError e)
            {
                return Refuse(parsed, [e.Message]);
            }
        });

    /// <summary>
    /// Each reason on its own line, prefixed with the command as typed (<c>gateway ca issue: …</c>), the last one with
    /// where the command's help is. EX_USAGE: nothing was done.
    /// </summary>
    private int Refuse(ParseResult parsed, IReadOnlyList<string> reasons)
    {
        var command = string.Join(' ', CommandPath(parsed));
        for (var i = 0; i < reasons.Count; i++)
        {
            var hint = i == reasons.Count - 1 ? $"; try '{command} --help'" : "";
            _console.Error.WriteLine($"{command}: {reasons[i].TrimEnd('.')}{hint}");
        }

        return ExitCodes.Usage;
    }

    /// <summary><c>gateway</c> and the subcommands that were matched (the root's own name is the host's, e.g. testhost).</summary>
    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new Stack<string>();
        for (var result = parsed.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Push(result.Command.Name);
        }

        return names.Prepend("gateway");
    }

    /// <summary>
    /// <c>gateway help</c>, <c>gateway ca help</c>, <c>gateway load help</c> … as before System.CommandLine: the word
    /// <c>help</c> where a subcommand could stand means <c>--help</c>.
    /// </summary>
    private List<string> HelpWord(IReadOnlyList<string> args)
    {
        var line = args.ToList();
        Command command = _root;
        for (var i = 0; i < line.Count; i++)
        {
            if (line[i] == "help")
            {
                line[i] = "--help";
                break;
            }

            if (command.Subcommands.FirstOrDefault(c => c.Name == line[i]) is not { } subcommand)
            {
                break;
            }

            command = subcommand;
        }

        return line;
    }
}
