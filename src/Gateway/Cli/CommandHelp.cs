using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Gateway.Cli;

/// <summary>
/// <c>--help</c>: the help System.CommandLine generates from the declared switches, then the command's notes (what it
/// prints, its exit codes, anything longer than one switch's description). System.CommandLine 3.0 keeps its help
/// builder internal, so the notes follow its output rather than becoming a section of it.
/// </summary>
internal sealed class CommandHelp(HelpAction generated) : SynchronousCommandLineAction
{
    private readonly Dictionary<Command, string> _notes = [];

    /// <summary>As the generated help: <c>gateway load --bogus --help</c> shows the help, not the error.</summary>
    public override bool ClearsParseErrors => true;

    public void Note(Command command, string notes) => _notes[command] = notes;

    public override int Invoke(ParseResult parseResult)
    {
        var exit = generated.Invoke(parseResult);
        if (_notes.TryGetValue(parseResult.CommandResult.Command, out var notes))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Notes:");
            foreach (var line in notes.Split('\n'))
            {
                output.WriteLine(line.Length == 0 ? "" : "  " + line);
            }

            output.WriteLine();
        }

        return exit;
    }
}
