using System.CommandLine;
using Gateway.Control;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway map push FILE</c> and <c>gateway map status</c>: the cluster's replicated access map, through the running
/// node's control socket (found as <c>gateway queue</c> finds it).
/// </summary>
internal sealed class MapPushSwitches
{
    public const string PushNotes = """
        Checks FILE as the node checks Access:MapFile at start (it must not be writable by group or others, nor sit in
        a directory they can write; every line must parse: errors name the file and line), then asks the RUNNING node,
        through its control socket, to read and check it again and publish it to every member of its cluster. Each
        node's policy then decides with it, from its own copy; a node that was unreachable gets it when it comes back.
        A file that fails a check changes nothing anywhere. On a node with Access:MapFile, the next edit of that file
        (or the node's restart with a different one) publishes that file instead: the file on a node is the last word.
        Exit 0 when published (or the cluster already had it), 1 when the node refused it, 64 for usage errors,
        65 when FILE is not a valid or safe map, 69 when the node cannot be reached, 77 when the socket is not yours,
        78 for an unusable configuration.
        """;

    public const string StatusNotes = """
        Prints the access-map version the node decides with: number, digest (the same text has the same digest on
        every node), source file, entries, who published it and when, the members it cannot reach now (while there
        are any, a newer version pushed on their side cannot arrive, and the node goes on with this one), and why the
        last replicated version could not be used, if so. --json prints the answer as one JSON object.
        Exit codes as 'gateway queue'.
        """;

    private readonly ControlSwitches _pushControl = new("print the node's answer as JSON");
    private readonly ControlSwitches _statusControl = new("print the node's answer as JSON");
    private readonly Argument<string> _file = new("FILE") { Description = "the access map, in the text form Access:MapFile takes" };

    public MapPushSwitches()
    {
        Push = new Command("push", "Publish an access map file to every node of the cluster, checked as at start-up.");
        Push.Add(_file);
        foreach (var option in _pushControl.All)
        {
            Push.Add(option);
        }

        Status = new Command("status", "Which access-map version the running node decides with, and whether it may be behind.");
        foreach (var option in _statusControl.All)
        {
            Status.Add(option);
        }
    }

    public Command Push { get; }

    public Command Status { get; }

    public QueuePlan PushPlan(ParseResult parsed) =>
        _pushControl.Plan(parsed, ControlRequest.MapPush, null, Path.GetFullPath(parsed.GetValue(_file)!));

    public QueuePlan StatusPlan(ParseResult parsed) => _statusControl.Plan(parsed, ControlRequest.MapStatus, null);
}
