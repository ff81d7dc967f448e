namespace Gateway.Cli;

/// <summary>A <c>gateway map</c> command line that cannot be run; the message names the switch and the reason.</summary>
internal sealed class MapUsageError(string message) : Exception(message);
