using System.Security.Cryptography;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>
/// The TLS 1.3 key schedule's HKDF (RFC 5869, RFC 8446 §7.1) and the Finished HMAC (§4.4.4) on the platform: .NET's
/// one-shot <see cref="HKDF"/> and HMAC (OpenSSL on Linux) instead of BouncyCastle's HMac. BouncyCastle builds each HMac
/// from three or four digest objects (a SHA-384 one carries its 80-word message schedule) and a handshake makes about
/// thirty such calls: with TLS_AES_256_GCM_SHA384, what OpenSSL clients choose first, that was about 40% of the
/// 220 KB a STARTTLS session allocated (GC allocation ticks by type), and the GC that follows.
/// <para>
/// A secret made here makes its successors here, so the whole chain from <see cref="PlatformTlsCrypto.HkdfInit"/> (the
/// early secret) to the traffic keys stays on this path; the same semantics as <see cref="BcTlsSecret"/>: the salt of an
/// extraction is used up (Extract), its input keying material is not (the zero secret is used twice). Hashes other than
/// SHA-256 and SHA-384 (no TLS 1.3 suite we offer uses them) and TLS 1.2's PRF stay BouncyCastle's.
/// </para>
/// </summary>
public sealed class PlatformTlsSecret(BcTlsCrypto crypto, byte[] data) : BcTlsSecret(crypto, data)
{
    public override TlsSecret HkdfExpand(int cryptoHashAlgorithm, byte[] info, int length) =>
        HkdfExpand(cryptoHashAlgorithm, info.AsSpan(), length);

    public override TlsSecret HkdfExpand(int cryptoHashAlgorithm, ReadOnlySpan<byte> info, int length)
    {
        var hashLength = TlsCryptoUtilities.GetHashOutputSize(cryptoHashAlgorithm);
        if (Platform(cryptoHashAlgorithm) is not { } hash || length < 1 || length > 255 * hashLength)
        {
            // Empty output and the RFC 5869 bound: BouncyCastle's own answers (an empty secret; its exception).
            return base.HkdfExpand(cryptoHashAlgorithm, info, length);
        }

        var okm = new byte[length];
        lock (this)
        {
            CheckAlive();
            if (m_data.Length < hashLength)
            {
                // .NET's Expand wants a PRK of at least the hash's length; every TLS 1.3 PRK is exactly that long.
                return base.HkdfExpand(cryptoHashAlgorithm, info, length);
            }

            HKDF.Expand(hash, m_data, okm, info);
        }

        return new PlatformTlsSecret(m_crypto, okm);
    }

    public override TlsSecret HkdfExtract(int cryptoHashAlgorithm, TlsSecret ikm)
    {
        if (Platform(cryptoHashAlgorithm) is not { } hash || ikm is not AbstractTlsSecret keyingMaterial)
        {
            return base.HkdfExtract(cryptoHashAlgorithm, ikm);
        }

        var input = CopyData(keyingMaterial);
        var salt = Extract();
        var prk = new byte[TlsCryptoUtilities.GetHashOutputSize(cryptoHashAlgorithm)];
        HKDF.Extract(hash, input, salt, prk);
        CryptographicOperations.ZeroMemory(input);
        CryptographicOperations.ZeroMemory(salt);
        return new PlatformTlsSecret(m_crypto, prk);
    }

    public override byte[] CalculateHmac(int cryptoHashAlgorithm, byte[] buf, int off, int len)
    {
        if (Platform(cryptoHashAlgorithm) is not { } hash)
        {
            return base.CalculateHmac(cryptoHashAlgorithm, buf, off, len);
        }

        lock (this)
        {
            CheckAlive();
            return CryptographicOperations.HmacData(hash, m_data, buf.AsSpan(off, len));
        }
    }

    private static HashAlgorithmName? Platform(int cryptoHashAlgorithm) => cryptoHashAlgorithm switch
    {
        CryptoHashAlgorithm.sha256 => HashAlgorithmName.SHA256,
        CryptoHashAlgorithm.sha384 => HashAlgorithmName.SHA384,
        _ => null,
    };
}
