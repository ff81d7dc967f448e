namespace Gateway.Cli;

/// <summary>A certificate, key or CA file <c>gateway probe</c> cannot use; the message names the file.</summary>
internal sealed class ProbeFileError(string message) : Exception(message);
