using System.CommandLine;
using Gateway.Configuration;

namespace Gateway.Cli;

/// <summary>The command line of <c>gateway status</c>, declared once for the parser and the generated help.</summary>
internal sealed class StatusSwitches
{
    public const string Notes = """
        Asks one node's HTTP listener (Http:Listen, /api/status) for the whole cluster, as every node holds every
        member's last status record, and prints one row per node and the totals: membership, state, sessions open
        and the share in TLS, messages and TLS handshakes per second, messages accepted, the queue and its oldest
        message, the generator (SPEC R71-R75) and the access-map version, uptime and version. Then the destinations
        mail waits for, with their last error, and the {verify} results clients presented.
        A row marked 'stale' has not changed for four publication intervals (Http:StatusInterval): its node stopped
        publishing. With --watch the table is drawn again every 2 s until Ctrl-C; with --json the answer is printed
        as the node gave it (one line per refresh with --watch).
        Exit 0 when the node answered, 64 for usage errors, 69 when it cannot be reached or answers with an error.
        """;

    private readonly Option<string?> _node = Switches.Text(
        "--node", "URL", $"the node's HTTP listener: http://HOST:PORT or HOST:PORT (default http://{GatewaySettings.DefaultHttpListen})");

    private readonly Option<bool> _json = Switches.Flag("--json", "print the node's JSON answer instead of the table");
    private readonly Option<bool> _watch = Switches.Flag("--watch", "refresh every 2 s until Ctrl-C");

    public StatusSwitches()
    {
        Command = new Command("status", "The cluster at a glance: one row per node, from any node's Http:Listen.") { _node, _json, _watch };
    }

    public Command Command { get; }

    public StatusPlan Plan(ParseResult parsed) => new(NodeUri(parsed.GetValue(_node)), parsed.GetValue(_json), parsed.GetValue(_watch));

    /// <summary>http://HOST:PORT from what was typed; a scheme other than http, a path or a bad port is a usage error.</summary>
    public static Uri NodeUri(string? typed)
    {
        var text = string.IsNullOrWhiteSpace(typed) ? GatewaySettings.DefaultHttpListen.ToString() : typed.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new UsageError($"--node '{typed}': expected http://HOST:PORT or HOST:PORT (Http:Listen of a node; it serves plain HTTP)");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/api/status");
    }
}
