using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>
/// BouncyCastle's TLS crypto with one primitive moved to the platform: verifying a TLS 1.3 ECDSA P-256
/// CertificateVerify (the peer's proof that it holds its certificate's key). BouncyCastle's managed point
/// arithmetic made that the largest single cost of a client-side handshake (about 12% of the load tool's
/// CPU, profiled); OpenSSL through .NET's ECDsa does it several times faster. Everything else, including
/// the protocol, the key exchange and the chain checks, stays BouncyCastle's. The mirror of
/// <see cref="PlatformEcdsaSigner"/> on the signing side.
/// </summary>
public sealed class PlatformTlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
        type == CertificateType.X509 ? new PlatformVerifyingCertificate(this, encoding) : base.CreateCertificate(type, encoding);
}
