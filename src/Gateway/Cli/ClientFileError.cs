namespace Gateway.Cli;

/// <summary>A certificate, key or CA file a client tool (probe, load) cannot use; the message names the file.</summary>
internal sealed class ClientFileError(string message) : Exception(message);
