using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Spool;

namespace Gateway.Cli;

/// <summary><c>gateway [run] [--config FILE] [--Section:Key=value …]</c>: start a node and run until stopped.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(RunPlan plan, TextWriter output, TextWriter error)
    {
        GatewaySettings settings;
        try
        {
            settings = ConfigurationLoader.Load(plan.ConfigFile, plan.Settings);
        }
        catch (ConfigurationError e)
        {
            await error.WriteLineAsync($"gateway: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Config;
        }

        GatewayNode node;
        try
        {
            node = await GatewayNode.StartAsync(settings).ConfigureAwait(false);
        }
        catch (ConfigurationError e)
        {
            // Certificate and key files are checked at start (SPEC R32, R34): name the file, stop.
            await error.WriteLineAsync($"gateway: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Config;
        }
        catch (SpoolOpenError e)
        {
            await error.WriteLineAsync($"gateway: {e.Message}").ConfigureAwait(false);
            return ExitCodes.IoError;
        }

        await using var running = node;
        foreach (var endpoint in node.SmtpEndpoints)
        {
            output.WriteLine($"gateway: listening on {endpoint} (smtp{(node.StartTlsOffered ? ", STARTTLS" : ", no STARTTLS: the random number generator is not seeded")})");
        }

        foreach (var endpoint in node.ImplicitTlsEndpoints)
        {
            output.WriteLine($"gateway: listening on {endpoint} (smtps, TLS on connect)");
        }

        foreach (var endpoint in node.ProxyEndpoints)
        {
            output.WriteLine($"gateway: listening on {endpoint} (smtp behind a balancer: PROXY protocol from {string.Join(", ", settings.Proxy.Trusted.Networks)})");
        }

        output.WriteLine($"gateway: random generator {(await node.EntropyStatusAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false)).Summary()}");
        output.WriteLine(settings.Dns.ReverseLookup
            ? $"gateway: client names by reverse lookup through {(settings.Dns.Servers.Count == 0 ? "/etc/hosts and resolv.conf's name servers" : string.Join(", ", settings.Dns.Servers))}, at most {settings.Dns.Timeout.TotalSeconds:0.#} s"
            : "gateway: no reverse lookup of clients (Dns:ReverseLookup=false): {client_name} is the bracketed address");
        output.WriteLine($"gateway: hostname {settings.Hostname}, local domains {string.Join(", ", settings.LocalDomains)}");
        output.WriteLine($"gateway: spool {Path.GetFullPath(settings.QueueDirectory)}, maildir {Path.GetFullPath(settings.MaildirRoot)}");
        if (node.ControlSocketPath is { } control)
        {
            output.WriteLine($"gateway: control socket {control} (gateway queue)");
        }

        output.WriteLine($"gateway: cluster member {Akka.Cluster.Cluster.Get(node.System).SelfAddress}");
        await node.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }
}
