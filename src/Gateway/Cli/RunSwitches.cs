using System.CommandLine;

namespace Gateway.Cli;

/// <summary>
/// The switches of <c>gateway [run]</c>: <c>--config FILE</c> and configuration settings, which the configuration
/// reader takes as <c>--Key=value</c>, <c>--Key value</c>, <c>/Key=value</c> or <c>Key=value</c>. The root command and
/// <c>run</c> each get their own, so plain <c>gateway</c> and <c>gateway --Smtp:Listen:0=…</c> start a node too.
/// </summary>
internal sealed class RunSwitches
{
    private readonly Option<string?> _config = Switches.Text(
        "--config", "FILE", "the JSON configuration file (default: ./gateway.json if it exists, else the embedded defaults)");

    private readonly Argument<string[]> _settings = new("--Section:Key=value")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = "configuration settings over the file and the GATEWAY_* environment variables, e.g. "
            + "--Smtp:Listen:0=127.0.0.1:2526; an unknown key is an error (README.md, Configuration)",
    };

    public const string Notes = """
        Settings go over the JSON file and the GATEWAY_* environment variables, e.g.
          gateway --config /etc/gateway/gateway.json --Smtp:Listen:0=0.0.0.0:25 --Dns:ReverseLookup=false
        README.md lists the keys; an unknown key or a bad value stops the start, naming the key.
        Exit 0 after a clean shutdown, 64 for usage errors, 74 when the spool cannot be opened (locked by another
        process, damaged), 78 for an unusable configuration, certificate or key.
        """;

    public RunSwitches(Command command)
    {
        // On the root the settings would otherwise appear in every subcommand's usage line; the root's notes name them.
        _settings.Hidden = command is RootCommand;
        _settings.Validators.Add(result =>
        {
            if (Stray([.. result.Tokens.Select(t => t.Value)]) is { } stray)
            {
                result.AddError($"'{stray}' is neither a command nor a --Section:Key=value setting");
            }
        });
        command.Add(_config);
        command.Add(_settings);
    }

    public RunPlan Plan(ParseResult parsed) => new(parsed.GetValue(_config), parsed.GetValue(_settings) ?? []);

    public static RunPlan Parse(IReadOnlyList<string> args)
    {
        var command = new Command("run");
        var switches = new RunSwitches(command);
        return switches.Plan(Switches.Parse(command, args));
    }

    /// <summary>
    /// The first word the configuration reader would drop without a word: not <c>Key=value</c>, not a <c>--Key</c> or
    /// <c>/Key</c> (whose value is the next word), nor that value. A typo must not start a node on other settings.
    /// </summary>
    private static string? Stray(IReadOnlyList<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            if (!words[i].StartsWith("--", StringComparison.Ordinal) && !words[i].StartsWith('/'))
            {
                return words[i];
            }

            i++;
        }

        return null;
    }
}
