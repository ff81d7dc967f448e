using Gateway.Protocol.Access;
using Gateway.Protocol.Session;

namespace Gateway.Protocol.Policy;

/// <summary>
/// The client facts the questions carry: <c>{client_name}</c> and <c>{client_addr}</c> (R40), the TLS macros of the
/// session so far (empty <c>{verify}</c> before STARTTLS), and the listener's settings (local domains).
/// </summary>
public sealed record PolicyContext(string ClientName, string ClientAddr, TlsCheckInput Tls, SessionSettings Settings);
