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
    private TlsCertificate[]? _chain;
    private PlatformEcdsaSigner? _ecdsa;
    private bool _ecdsaTried;
    private TlsServerOptions? _otherRequest;

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

        // Parsed and imported before the copy, so both share them.
        _ = TlsChain;
        _ = PlatformSigner;
        var other = this with { RequestClientCertificate = request };
        other._otherRequest = this;
        _otherRequest = other;
        return other;
    }

    /// <summary>The chain as BouncyCastle certificates, parsed once per node rather than per handshake.</summary>
    internal TlsCertificate[] TlsChain => _chain ??= [.. Credentials.Chain.Select(c => Crypto.CreateCertificate(c.GetEncoded()))];

    /// <summary>The platform signer for a P-256 key, made once; null for other keys.</summary>
    internal PlatformEcdsaSigner? PlatformSigner
    {
        get
        {
            if (!_ecdsaTried)
            {
                _ecdsa = Credentials.PrivateKey is Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters ec ? PlatformEcdsaSigner.TryCreate(ec) : null;
                _ecdsaTried = true;
            }

            return _ecdsa;
        }
    }
}
