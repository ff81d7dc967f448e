namespace Gateway.Protocol.Access;

/// <summary>
/// The macros a TLS requirement is checked against (SPEC R54, R56): the current connection's <c>{verify}</c>,
/// <c>{cipher_bits}</c>, <c>{auth_ssf}</c> and certificate facts, and the peer's name for a bare <c>CN</c>
/// (<c>{client_name}</c> in the server role, <c>{server_name}</c> in the client role).
/// </summary>
public sealed record TlsCheckInput(
    string Verify,
    int CipherBits,
    int AuthSsf = 0,
    string CnSubject = "",
    string CertSubject = "",
    string CertIssuer = "",
    string PeerName = "");
