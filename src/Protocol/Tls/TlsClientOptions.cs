using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>What one TLS client session needs: whom it talks to, what it trusts, what it may present.</summary>
/// <param name="ServerName">The host name connected to, sent as SNI (SPEC R23, gateway choice); an IP literal or null sends none.</param>
/// <param name="Credentials">The client certificate, presented only when the server asks (R23); null presents none.</param>
/// <param name="Verifier">Judges the server's chain for <c>{verify}</c>; its verdict never aborts the handshake (R16).</param>
/// <param name="Crypto">BouncyCastle crypto with the process's <c>SecureRandom</c>.</param>
public sealed record TlsClientOptions(
    string? ServerName,
    TlsClientCredentials? Credentials,
    PeerVerifier Verifier,
    DnFormat DnFormat,
    BcTlsCrypto Crypto)
{
    /// <summary>Versions offered, newest first; SPEC R91: TLS 1.3 and 1.2 only (RFC 8996).</summary>
    public IReadOnlyList<ProtocolVersion> Versions { get; init; } = ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12);

    /// <summary>
    /// Also offer anonymous ECDH suites (TLS 1.2, last in preference). Opportunistic relaying may accept them
    /// as Postfix's "may" level does: encryption without authentication still beats clear text, and
    /// <c>{verify}</c> then says NO (R41). Off by default, because then no server certificate is seen at all.
    /// </summary>
    public bool OfferAnonymous { get; init; }
}
