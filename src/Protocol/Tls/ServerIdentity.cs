using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>
/// One certificate and key the server can present, with what every handshake needs of it made once per node: the
/// chain as BouncyCastle certificates and, for a P-256 key, the platform signer (parsing the chain and importing the
/// key per handshake would cost more than the signature).
/// </summary>
/// <remarks>Filled lazily by the first handshake that uses it; two racing handshakes may both build it, which is harmless (equal values).</remarks>
internal sealed class ServerIdentity(ServerCredentials credentials, BcTlsCrypto crypto)
{
    private TlsCertificate[]? _chain;
    private PlatformEcdsaSigner? _ecdsa;
    private bool _ecdsaTried;

    public ServerCredentials Credentials => credentials;

    public TlsCertificate[] TlsChain => _chain ??= [.. credentials.Chain.Select(c => crypto.CreateCertificate(c.GetEncoded()))];

    /// <summary>The platform signer for a P-256 key; null for other keys (BouncyCastle signs those).</summary>
    public PlatformEcdsaSigner? PlatformSigner
    {
        get
        {
            if (!_ecdsaTried)
            {
                _ecdsa = credentials.PrivateKey is ECPrivateKeyParameters ec ? PlatformEcdsaSigner.TryCreate(ec) : null;
                _ecdsaTried = true;
            }

            return _ecdsa;
        }
    }

    /// <summary>Builds what is lazy now, so that copies of the options share it.</summary>
    public void Prepare()
    {
        _ = TlsChain;
        _ = PlatformSigner;
    }
}
