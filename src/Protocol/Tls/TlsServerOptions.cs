using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>What every TLS server session of a node shares, loaded once and immutable.</summary>
/// <param name="CertificateAuthorities">Subjects of Tls:CACertFile's certificates only: the names sent in the CertificateRequest (SPEC R15).</param>
/// <param name="RequestClientCertificate">Tls:RequestClientCert; false gives {verify}=NOT (R41).</param>
/// <param name="Crypto">The node's BouncyCastle crypto, seeded by the node's entropy source.</param>
public sealed record TlsServerOptions(
    ServerCredentials Credentials,
    IReadOnlyList<X509Name> CertificateAuthorities,
    PeerVerifier Verifier,
    bool RequestClientCertificate,
    DnFormat DnFormat,
    BcTlsCrypto Crypto)
{
    private ServerIdentity[]? _identities;
    private TlsServerOptions? _otherRequest;

    /// <summary>
    /// A second certificate and key of the other key type (Tls:SecondServerCertFile): RSA next to ECDSA, so that a
    /// client that verifies only RSA still completes a handshake, while every other client gets the faster ECDSA one.
    /// </summary>
    public ServerCredentials? SecondCredentials { get; init; }

    /// <summary>Tls:AllowCbc: TLS 1.2's CBC suites offered after the AEAD ones; off by default (LUCKY13 and its kin).</summary>
    public bool AllowCbc { get; init; }

    /// <summary>TLS 1.2 session resumption by ticket and session ID (Tls:SessionCacheTimeout); null: every handshake is full.</summary>
    public TlsResumption? Resumption { get; init; }

    /// <summary>
    /// These options with the client-certificate request on or off (Srv_Features V/v, SPEC R63), made once and kept:
    /// a copy per connection would parse the chain and import the signing key again for every session.
    /// </summary>
    public TlsServerOptions WithClientCertificateRequest(bool request)
    {
        if (request == RequestClientCertificate)
        {
            return this;
        }

        if (_otherRequest is { } known)
        {
            return known;
        }

        // Built before the copy, so both share them.
        foreach (var identity in Identities)
        {
            identity.Prepare();
        }

        var other = this with { RequestClientCertificate = request };
        other._otherRequest = this;
        _otherRequest = other;
        return other;
    }

    /// <summary>The ECDSA certificate, if there is one: preferred (a P-256 signature is about 50 times cheaper than an RSA-2048 one).</summary>
    internal ServerIdentity? Ec => Array.Find(Identities, i => i.Credentials.IsEc);

    /// <summary>The RSA certificate, if there is one.</summary>
    internal ServerIdentity? Rsa => Array.Find(Identities, i => !i.Credentials.IsEc);

    private ServerIdentity[] Identities => _identities ??=
        [.. new[] { Credentials, SecondCredentials }.OfType<ServerCredentials>().Select(c => new ServerIdentity(c, Crypto))];
}
