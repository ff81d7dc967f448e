using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>
/// BouncyCastle's TLS crypto with two primitives moved to the platform. Verifying a TLS 1.3 ECDSA P-256
/// CertificateVerify (the peer's proof that it holds its certificate's key): BouncyCastle's managed point
/// arithmetic made that the largest single cost of a client-side handshake (about 12% of the load tool's
/// CPU, profiled); OpenSSL through .NET's ECDsa does it several times faster (the mirror of
/// <see cref="PlatformEcdsaSigner"/> on the signing side). And the TLS 1.3 key schedule's HKDF and HMAC
/// (<see cref="PlatformTlsSecret"/>), which allocated more than anything else in a handshake. Everything else,
/// including the protocol, the key exchange and the chain checks, stays BouncyCastle's.
/// </summary>
public sealed class PlatformTlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
        type == CertificateType.X509 ? new PlatformVerifyingCertificate(this, encoding) : base.CreateCertificate(type, encoding);

    /// <summary>The zero secret every TLS 1.3 key schedule starts from (RFC 8446 §7.1); what it derives stays on the platform.</summary>
    public override TlsSecret HkdfInit(int cryptoHashAlgorithm) =>
        new PlatformTlsSecret(this, new byte[TlsCryptoUtilities.GetHashOutputSize(cryptoHashAlgorithm)]);
}
