namespace Gateway.Load;

/// <summary>A <c>gateway load</c> command line that cannot be run; the message names the switch and the reason.</summary>
internal sealed class LoadUsageError(string message) : Exception(message);
