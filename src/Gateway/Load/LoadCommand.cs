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

    public const string HelpText = """
        usage: gateway load --target HOST:PORT [-c CLIENTS] [-n MESSAGES | --duration SECONDS] [--size BYTES]
                            [--per-connection K] [--starttls [--cert FILE --key FILE] [--cafile FILE]] [--rate MSGS_PER_S]
                            [--from ADDR] [--to ADDR] [--helo NAME] [--source-addresses LIST] [--warmup SECONDS]
                            [--json FILE] [--timeout SECONDS] [--reply-timeout SECONDS]
               gateway load --target HOST:PORT --hold [-c CLIENTS] [--duration SECONDS] [--starttls ...] [--source-addresses LIST]
          Simulated SMTP clients, one actor each with one connection at a time: connect, EHLO, [STARTTLS, EHLO,]
          then K times MAIL, RCPT, DATA and the message, then QUIT. Works against any SMTP server.
          -c, --concurrency  simulated clients (default 10)
          -n, --messages     measured messages to send (default 1000 unless --duration is given; warm-up not counted)
          --duration         seconds of measurement; with -n too, whichever comes first
          --size             bytes per message, headers included (default 2048; k and m suffixes allowed)
          --per-connection   messages per connection before QUIT (default 1)
          --starttls         upgrade every session with STARTTLS (BouncyCastle's client engine, TLS 1.3 or 1.2)
          --cert, --key      client certificate and key (PEM) for servers that ask; no group or world access to the key
          --cafile           CA certificates (PEM) to judge the server's certificate; the report counts {verify} values
          --rate             messages per second over all clients; latency then counts from each message's scheduled time
          --from, --to       envelope sender (default load@load.test; '<>' is the null sender) and recipient (default load@localhost)
          --source-addresses addresses to connect from, spread over the clients: 127.0.0.2-127.0.0.50,127.1.0.1
          --warmup           seconds of load before measuring starts; nothing from it is counted
          --hold             open one session per client (EHLO, with --starttls the handshake and EHLO again), send no
                             mail, print "holding N sessions ..." once all are open, hold them idle for --duration
                             seconds (default: until Ctrl-C), then QUIT: what idle sessions cost a server
          --json             also write the report to FILE as JSON
          --timeout          hard limit on the whole run (default: warm-up + duration + 60 s, or 600 s with -n;
                             with --hold, duration + 600 s, or 1 h)
          --reply-timeout    seconds to wait for the connection, every reply and the TLS handshake (default 60)
          Ctrl-C (or SIGTERM) stops giving out messages, lets open sessions finish for up to 5 s and prints the partial report.
          Exit 0 when every message was accepted, 1 if some failed, 2 on the hard timeout, 130 on Ctrl-C or SIGTERM,
          64 for usage errors, 69 if the target cannot be resolved, 78 for an unusable certificate, key or CA file.
        """;

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

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, TextWriter? progress, CancellationToken interrupt)
    {
        if (args is ["help" or "--help" or "-h", ..])
        {
            await output.WriteLineAsync(HelpText).ConfigureAwait(false);
            return 0;
        }

        LoadPlan plan;
        TlsClientOptions? tls;
        try
        {
            plan = LoadSwitches.Parse(args);
            if (SourceAddresses.FirstUnusable(plan.SourceAddresses) is { } unusable)
            {
                throw new LoadUsageError($"--source-addresses: cannot connect from {unusable}");
            }

            tls = plan.StartTls
                ? ClientTlsFiles.ClientOptions(plan.Target.BareHost, plan.CertFile, plan.KeyFile, plan.CaFile, new PlatformTlsCrypto(new SecureRandom()))
                : null;
        }
        catch (LoadUsageError e)
        {
            await error.WriteLineAsync($"gateway load: {e.Message}; try 'gateway load --help'").ConfigureAwait(false);
            return ExitCodes.Usage;
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

        var report = await RunAsync(plan, tls, target, progress, interrupt, output).ConfigureAwait(false);
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
