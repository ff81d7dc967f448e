using System.Security.Cryptography;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>
/// BouncyCastle's TLS crypto with three primitives moved to the platform. Verifying a TLS 1.3 ECDSA P-256
/// CertificateVerify (the peer's proof that it holds its certificate's key): BouncyCastle's managed point
/// arithmetic made that the largest single cost of a client-side handshake (about 12% of the load tool's
/// CPU, profiled); OpenSSL through .NET's ECDsa does it several times faster (the mirror of
/// <see cref="PlatformEcdsaSigner"/> on the signing side). And the TLS 1.3 key schedule's HKDF and HMAC
/// (<see cref="PlatformTlsSecret"/>), which allocated more than anything else in a handshake, and AES-GCM records
/// (<see cref="PlatformAesGcm"/>). Everything else, including the protocol, the key exchange, ChaCha20-Poly1305
/// and the chain checks, stays BouncyCastle's.
/// </summary>
public sealed class PlatformTlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
        type == CertificateType.X509 ? new PlatformVerifyingCertificate(this, encoding) : base.CreateCertificate(type, encoding);

    /// <summary>AES-GCM records on the platform (<see cref="PlatformAesGcm"/>) where it has AES-GCM, else BouncyCastle's.</summary>
    protected override TlsAeadCipher CreateCipher_Aes_Gcm(TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize) =>
        AesGcm.IsSupported
            ? new TlsAeadCipher(cryptoParams, new PlatformAesGcm(isEncrypting: true), new PlatformAesGcm(isEncrypting: false), cipherKeySize, macSize, TlsAeadCipher.AEAD_GCM)
            : base.CreateCipher_Aes_Gcm(cryptoParams, cipherKeySize, macSize);

    /// <summary>The zero secret every TLS 1.3 key schedule starts from (RFC 8446 §7.1); what it derives stays on the platform.</summary>
    public override TlsSecret HkdfInit(int cryptoHashAlgorithm) =>
        new PlatformTlsSecret(this, new byte[TlsCryptoUtilities.GetHashOutputSize(cryptoHashAlgorithm)]);
}
