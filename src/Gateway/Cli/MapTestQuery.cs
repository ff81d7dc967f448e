using Gateway.Protocol.Session;

namespace Gateway.Cli;

/// <summary>What <c>gateway map test</c> asks: the client as the reverse lookup left it, its TLS macros, and optionally a sender and a recipient.</summary>
internal sealed record MapTestQuery(
    ClientHost Client, string Verify, int CipherBits, int AuthSsf, string CnSubject, string CertSubject, string CertIssuer, string? From, string? Rcpt);
