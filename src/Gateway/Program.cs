using Gateway.Cli;

// gateway [run] [--config FILE] [--Section:Key=value …] | ca | probe | map | load | queue: one parser, GatewayCommandLine.
using var interrupt = new ConsoleInterrupt();
var console = new CommandLineConsole(Console.Out, Console.Error, Console.IsErrorRedirected ? null : Console.Error, interrupt.Listen);
return await GatewayCommandLine.InvokeAsync(args, console);
