namespace Gateway.Cli;

/// <summary>A <c>gateway ca</c> command line that cannot be run; the message names the switch and the reason.</summary>
internal sealed class CaUsageError(string message) : Exception(message);
