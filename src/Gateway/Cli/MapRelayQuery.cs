namespace Gateway.Cli;

/// <summary>
/// What <c>gateway map test --server-name</c> asks: the server the relaying client connects to (<c>{server_name}</c>,
/// <c>{server_addr}</c>, R40), the TLS macros of that connection, and optionally a recipient for tls_rcpt.
/// </summary>
internal sealed record MapRelayQuery(
    string ServerName, string ServerAddr, string Verify, int CipherBits, string CnSubject, string CertSubject, string CertIssuer, string? Rcpt);
