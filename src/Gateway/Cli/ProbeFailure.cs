namespace Gateway.Cli;

/// <summary>
/// The connection or the TLS handshake failed (EX_UNAVAILABLE). Not a bug and not a usage error: the
/// message says what was being done and what went wrong, for a person debugging a server.
/// </summary>
internal sealed class ProbeFailure(string message) : Exception(message);
