using System.Text.RegularExpressions;
using Gateway.Cli;
using Gateway.Configuration;

namespace Gateway.Tests.Cli;

/// <summary>
/// The one command line (System.CommandLine): generated help per subcommand, exit 64 naming what was wrong,
/// configuration settings reaching <c>gateway run</c>, exit 78 for an unusable configuration, tab completion.
/// Nothing here starts a node: every case stops at the command line or the configuration.
/// </summary>
public sealed class GatewayCommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("run", "--config")]
    [InlineData("ca init", "--out --cn --rsa --days")]
    [InlineData("ca issue", "--ca --cn --san --server --client --rsa --days --out")]
    [InlineData("probe", "--starttls --tls-on-connect --cert --key --cafile --helo --timeout")]
    [InlineData("map test", "--client-addr --client-name --client-resolve --server-name --server-addr --verify --cipher-bits --auth-ssf --cert-subject --cert-issuer --cn-subject --from --rcpt --config --map --json")]
    [InlineData("queue list", "--config --queue-dir --json")]
    [InlineData("queue flush", "--config --queue-dir --json")]
    [InlineData("queue hold", "--config --queue-dir --json")]
    [InlineData("queue release", "--config --queue-dir --json")]
    [InlineData("queue delete", "--config --queue-dir --json")]
    [InlineData("queue bounce", "--config --queue-dir --json")]
    [InlineData("load", "--target --concurrency --messages --duration --size --per-connection --starttls --cert --key --cafile --rate --from --to --helo --source-addresses --warmup --hold --json --timeout --reply-timeout")]
    public async Task The_generated_help_of_a_subcommand_lists_its_switches(string command, string switches)
    {
        var (exit, output, error) = await RunAsync([.. command.Split(' '), "--help"]);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains($"gateway {command} ", output, StringComparison.Ordinal);
        foreach (var name in switches.Split(' '))
        {
            // One row per switch: "  --name <VALUE>  description", or "  -n, --name ..." with its short alias.
            Assert.Matches(new Regex($@"^  (-\w, )?{Regex.Escape(name)}( <[^>]+>)?( \(REQUIRED\))?  +\S", RegexOptions.Multiline), output);
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("ca")]
    [InlineData("probe")]
    [InlineData("load")]
    [InlineData("queue")]
    [InlineData("queue list")]
    public async Task A_subcommand_help_ends_with_its_notes_and_exit_codes(string command)
    {
        var (exit, output, _) = await RunAsync([.. command.Split(' '), "--help"]);

        Assert.Equal(0, exit);
        Assert.Contains("Notes:", output, StringComparison.Ordinal);
        Assert.Contains("64 for usage errors", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("help", "--help")]
    [InlineData("ca help", "ca --help")]
    [InlineData("probe help", "probe --help")]
    [InlineData("load help", "load -h")]
    [InlineData("queue help", "queue --help")]
    [InlineData("queue", "queue --help")]
    public async Task The_word_help_where_a_command_could_stand_is_help(string word, string option)
    {
        var byWord = await RunAsync(word.Split(' '));
        var byOption = await RunAsync(option.Split(' '));

        Assert.Equal(0, byWord.Exit);
        Assert.Equal(byOption.Output, byWord.Output);
        Assert.StartsWith("Description:", byWord.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_help_lists_every_command_and_how_to_run_a_node()
    {
        var (exit, output, _) = await RunAsync(["--help"]);

        Assert.Equal(0, exit);
        foreach (var command in new[] { "run", "ca", "probe", "map", "load", "queue" })
        {
            Assert.Contains($"\n  {command} ", output, StringComparison.Ordinal);
        }

        Assert.Contains("gateway [run] [--config FILE] [--Section:Key=value ...]", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("load t:25 --bogus 1", "gateway load: ", "--bogus")]
    [InlineData("probe 127.0.0.1:25 --bogus", "gateway probe: ", "--bogus")]
    [InlineData("map test --client-addr 192.0.2.7 --bogus", "gateway map test: ", "--bogus")]
    [InlineData("ca init --out DIR --bogus", "gateway ca init: ", "--bogus")]
    [InlineData("ca issue --ca DIR --cn mx --out DIR -x", "gateway ca issue: ", "-x")]
    [InlineData("queue list --bogus", "gateway queue list: ", "--bogus")]
    [InlineData("run -x", "gateway run: ", "-x")]
    [InlineData("-x", "gateway: ", "-x")]
    public async Task An_unknown_switch_exits_64_naming_it_and_the_command(string commandLine, string prefix, string named)
    {
        var (exit, output, error) = await RunAsync(Args(commandLine));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", output);
        Assert.StartsWith(prefix, error, StringComparison.Ordinal);
        Assert.Contains($"'{named}'", error, StringComparison.Ordinal);
        Assert.Contains($"try '{prefix.TrimEnd(':', ' ')} --help'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("load t:25 --starttls=yes", "--starttls takes no value")]
    [InlineData("load t:25 --json=a.json --json=b.json", "--json given more than once")]
    [InlineData("load t:25 -c 1 --concurrency 2", "-c and --concurrency are the same switch; give one")]
    [InlineData("ca init --out DIR --out DIR", "--out given more than once")]
    public async Task A_flag_with_a_value_or_a_switch_given_twice_is_refused_naming_the_switch(string commandLine, string message)
    {
        var (exit, _, error) = await RunAsync(Args(commandLine));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frob")]
    [InlineData("run frob")]
    [InlineData("--config FILE frob")]
    [InlineData("--Smtp:MaxRecipients=9 frob")]
    public async Task A_word_that_is_neither_a_command_nor_a_setting_exits_64_naming_it(string commandLine)
    {
        var (exit, _, error) = await RunAsync(Args(commandLine));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'frob' is neither a command nor a --Section:Key=value setting", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Smtp:MaxRecipients=9")]
    [InlineData("--Smtp:MaxRecipients 9")]
    [InlineData("/Smtp:MaxRecipients=9")]
    [InlineData("Smtp:MaxRecipients=9")]
    [InlineData("--config FILE --Smtp:MaxRecipients=9")]
    public void A_setting_on_the_run_command_line_reaches_the_configuration(string commandLine)
    {
        File.WriteAllText(Path.Combine(_dir, "gateway.json"), """{ "Smtp": { "MaxRecipients": 7 } }""");

        var plan = RunSwitches.Parse(Args(commandLine));
        var settings = ConfigurationLoader.Load(plan.ConfigFile, plan.Settings);

        Assert.Equal(9, settings.MaxRecipients);
        Assert.Equal(commandLine.Contains("--config", StringComparison.Ordinal) ? Path.Combine(_dir, "gateway.json") : null, plan.ConfigFile);
    }

    [Theory]
    [InlineData("--Smtp:MaxRecipients=many")]
    [InlineData("run --Smtp:MaxRecipients=many")]
    [InlineData("run --Smtp:MaxRecipients many")]
    public async Task A_bad_setting_exits_78_naming_the_key_so_it_reached_the_configuration(string commandLine)
    {
        var (exit, output, error) = await RunAsync(Args(commandLine));

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Equal("", output);
        Assert.Contains("Smtp:MaxRecipients", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--config FILE")]
    [InlineData("run --config FILE")]
    [InlineData("run --config=FILE --Smtp:MaxRecipients=9")]
    public async Task A_config_file_that_does_not_exist_exits_78_naming_it(string commandLine)
    {
        var missing = Path.Combine(_dir, "nope.json");

        var (exit, output, error) = await RunAsync(Args(commandLine.Replace("FILE", missing, StringComparison.Ordinal)));

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Equal("", output);
        Assert.StartsWith("gateway: ", error, StringComparison.Ordinal);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_without_its_file_exits_64()
    {
        var (exit, _, error) = await RunAsync(["run", "--config"]);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'--config'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway lo", "load")]
    [InlineData("gateway load --star", "--starttls")]
    [InlineData("gateway map test --client-resolve F", "FORGED")]
    [InlineData("gateway ca ", "issue")]
    [InlineData("gateway queue ", "bounce")]
    public async Task The_suggest_directive_completes_commands_switches_and_values(string commandLine, string completion)
    {
        var (exit, output, _) = await RunAsync([$"[suggest:{commandLine.Length}]", commandLine]);

        Assert.Equal(0, exit);
        Assert.Contains(completion, output.Split('\n'));
    }

    private string[] Args(string commandLine) =>
        [.. commandLine.Split(' ').Select(a => a.Replace("DIR", Path.Combine(_dir, "ca"), StringComparison.Ordinal).Replace("FILE", Path.Combine(_dir, "gateway.json"), StringComparison.Ordinal))];

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var exit = await GatewayCommandLine.InvokeAsync(args, new CommandLineConsole(output, error));
        return (exit, output.ToString(), error.ToString());
    }
}
