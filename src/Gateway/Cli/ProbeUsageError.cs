namespace Gateway.Cli;

/// <summary>A <c>gateway probe</c> command line that cannot be run; the message names the switch and the reason.</summary>
internal sealed class ProbeUsageError(string message) : Exception(message);
