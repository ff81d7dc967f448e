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
