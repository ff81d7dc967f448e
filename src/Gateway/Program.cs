using Gateway.Cli;
using Gateway.Load;

// gateway [run] [--config FILE] [--Section:Key=value …]
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
switch (command)
{
    case "run":
        return await RunCommand.RunAsync(rest);
    case "ca":
        return CaCommand.Run(rest, Console.Out, Console.Error);
    case "probe":
        return await ProbeCommand.RunAsync(rest, Console.Out, Console.Error);
    case "map":
        return MapTestCommand.Run(rest, Console.Out, Console.Error);
    case "load":
        using (var interrupt = new CancellationTokenSource())
        {
            // The first Ctrl-C asks for the partial report; a second one ends the process as usual.
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = !interrupt.IsCancellationRequested;
                interrupt.Cancel();
            };

            // SIGTERM too: scripts cannot send SIGINT to a background job (a non-interactive shell starts it with
            // SIGINT ignored), and `kill` or `timeout` should still get the partial report.
            using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = !interrupt.IsCancellationRequested;
                interrupt.Cancel();
            });
            return await LoadCommand.RunAsync(rest, Console.Out, Console.Error, Console.IsErrorRedirected ? null : Console.Error, interrupt.Token);
        }

    case "help":
        Console.WriteLine("usage: gateway [run] [--config FILE] [--Section:Key=value ...]");
        Console.WriteLine("  run    start a gateway node (the default); see README.md for the configuration keys");
        Console.WriteLine("  ca     create a CA and issue server or client certificates; 'gateway ca help' for details");
        Console.WriteLine("  probe  debug STARTTLS by hand: EHLO, STARTTLS, the TLS facts as sendmail macros; 'gateway probe --help'");
        Console.WriteLine("  map    'gateway map test': which access-map keys a client's checks try, which matched, the verdict");
        Console.WriteLine("  load   simulated SMTP clients with latency percentiles, plain or STARTTLS; 'gateway load --help'");
        return 0;
    default:
        await Console.Error.WriteLineAsync($"gateway: unknown command '{command}'; try 'gateway help'");
        return ExitCodes.Usage;
}
