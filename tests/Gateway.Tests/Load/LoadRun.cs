using System.Text.Json;
using Gateway.Cli;
using Gateway.Load;

namespace Gateway.Tests.Load;

/// <summary>One <c>gateway load</c> run in-process, as the command line runs it: exit code, printed report, and the --json report.</summary>
internal sealed record LoadRun(int ExitCode, string Output, string Error, LoadReport? Report)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task<LoadRun> StartAsync(CancellationToken interrupt, params string[] args)
    {
        var json = Path.Combine(Path.GetTempPath(), $"gateway-load-{Guid.NewGuid():N}.json");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await GatewayCommandLine.InvokeAsync(["load", .. args, "--json", json], new CommandLineConsole(output, error, null, () => interrupt));
            var report = File.Exists(json) ? JsonSerializer.Deserialize<LoadReport>(await File.ReadAllTextAsync(json), Json) : null;
            return new LoadRun(code, output.ToString(), error.ToString(), report);
        }
        finally
        {
            File.Delete(json);
        }
    }

    public static Task<LoadRun> StartAsync(params string[] args) => StartAsync(CancellationToken.None, args);

    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
