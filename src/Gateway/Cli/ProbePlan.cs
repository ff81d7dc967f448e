namespace Gateway.Cli;

/// <summary>
/// What one <c>gateway probe</c> session does, as parsed from its command line (<see cref="ProbeSwitches"/>):
/// the server (<see cref="Host"/> is bracketed for IPv6), how TLS starts, the client's files, its EHLO name and
/// how long every step may take.
/// </summary>
internal sealed record ProbePlan(
    string Host,
    int Port,
    bool StartTls,
    bool TlsOnConnect,
    string? CertFile,
    string? KeyFile,
    string? CaFile,
    string Helo,
    TimeSpan Timeout)
{
    /// <summary>The host without brackets, as the resolver and SNI need it.</summary>
    public string BareHost => new HostPort(Host, Port).BareHost;
}
