using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Gateway.Cli;
using Gateway.Protocol.Tls;
using Org.BouncyCastle.Security;

namespace Gateway.Load;

/// <summary>
/// <c>gateway load</c>: simulated SMTP clients against any server, for every performance figure of this
/// project. Runs its own local ActorSystem (no cluster): one <see cref="LoadCoordinator"/> and one
/// <see cref="LoadClient"/> actor per client over Akka.IO.
/// </summary>
internal static class LoadCommand
{
    /// <summary>Some messages failed or some sessions ended with an error.</summary>
    public const int ExitFailures = 1;

    /// <summary>The hard timeout cut the run short.</summary>
    public const int ExitTimeout = 2;

    /// <summary>Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int ExitInterrupted = 130;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private const string ActorSystemConfig = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.provider = local
        }
        """;

    /// <summary>Runs <paramref name="plan"/> and prints its report; a source address this machine cannot use is a <see cref="UsageError"/>.</summary>
    public static async Task<int> RunAsync(LoadPlan plan, CommandLineConsole console)
    {
        var (output, error) = (console.Output, console.Error);
        if (SourceAddresses.FirstUnusable(plan.SourceAddresses) is { } unusable)
        {
            throw new UsageError($"--source-addresses: cannot connect from {unusable}");
        }

        TlsClientOptions? tls;
        try
        {
            tls = plan.StartTls
                ? ClientTlsFiles.ClientOptions(plan.Target.BareHost, plan.CertFile, plan.KeyFile, plan.CaFile, new PlatformTlsCrypto(new SecureRandom()))
                : null;
        }
        catch (ClientFileError e)
        {
            await error.WriteLineAsync($"gateway load: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Config;
        }

        if (await ResolveAsync(plan, error).ConfigureAwait(false) is not { } target)
        {
            return ExitCodes.Unavailable;
        }

        var report = await RunAsync(plan, tls, target, console.Progress, console.Interrupt(), output).ConfigureAwait(false);
        if (plan.JsonFile is { } json)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, Json) + "\n", CancellationToken.None).ConfigureAwait(false);
        }

        await output.WriteAsync(LoadReportText.Render(report)).ConfigureAwait(false);
        return report.StoppedBy switch
        {
            "timeout" => ExitTimeout,
            "interrupted" => ExitInterrupted,
            _ when report.Failed > 0 || report.Unfinished > 0 || report.SessionsFailed > 0 => ExitFailures,
            _ => 0,
        };
    }

    /// <summary>Runs the plan in a fresh local ActorSystem and returns its report.</summary>
    public static async Task<LoadReport> RunAsync(LoadPlan plan, TlsClientOptions? tls, IPEndPoint target, TextWriter? progress, CancellationToken interrupt, TextWriter? notice = null)
    {
        var system = ActorSystem.Create("gateway-load", ConfigurationFactory.ParseString(ActorSystemConfig));
        try
        {
            var done = new TaskCompletionSource<LoadReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            var script = new LoadScript(plan);
            var coordinator = system.ActorOf(Props.Create(() => new LoadCoordinator(plan, script, tls, target, done, progress, notice)), "load");
            await using var registration = interrupt.Register(() => coordinator.Tell(LoadProtocol.Interrupt.Instance)).ConfigureAwait(false);
            return await done.Task.ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>The target's address; with source addresses, one of their family.</summary>
    private static async Task<IPEndPoint?> ResolveAsync(LoadPlan plan, TextWriter error)
    {
        try
        {
            var addresses = IPAddress.TryParse(plan.Target.BareHost, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(plan.Target.BareHost).ConfigureAwait(false);
            var family = plan.SourceAddresses.Count > 0 ? plan.SourceAddresses[0].AddressFamily : (AddressFamily?)null;
            var address = addresses.FirstOrDefault(a => family is null || a.AddressFamily == family);
            if (address is null)
            {
                await error.WriteLineAsync($"gateway load: {plan.Target.BareHost} has no {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address for --source-addresses").ConfigureAwait(false);
                return null;
            }

            return new IPEndPoint(address, plan.Target.Port);
        }
        catch (SocketException e)
        {
            await error.WriteLineAsync($"gateway load: cannot resolve {plan.Target.BareHost}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
