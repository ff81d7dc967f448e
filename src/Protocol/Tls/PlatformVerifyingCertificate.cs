using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tls;

/// <summary>
/// A peer certificate whose TLS 1.3 <c>ecdsa_secp256r1_sha256</c> signatures are checked by the platform's
/// ECDsa (see <see cref="PlatformTlsCrypto"/>). Other schemes, other curves and TLS 1.2 go to BouncyCastle.
/// </summary>
internal sealed class PlatformVerifyingCertificate(BcTlsCrypto crypto, byte[] encoding) : BcTlsCertificate(crypto, encoding)
{
    public override Tls13Verifier CreateVerifier(int signatureScheme)
    {
        if (signatureScheme != SignatureScheme.ecdsa_secp256r1_sha256 || PlatformKey() is not { } key)
        {
            return base.CreateVerifier(signatureScheme);
        }

        // The same key usage rule BouncyCastle applies before it verifies (RFC 5280 §4.2.1.3).
        ValidateKeyUsage(KeyUsage.DigitalSignature);
        return new PlatformEcdsa13Verifier(key);
    }

    /// <summary>
    /// Imported keys, per thread (an ECDsa instance is not documented as safe to share between threads). Importing
    /// costs OpenSSL a public-key check about as dear as the verification itself, and a client meets the same
    /// few server keys again and again, so a handful of recent keys is kept.
    /// </summary>
    [ThreadStatic]
    private static Dictionary<string, ECDsa>? _recentKeys;

    private const int RecentKeysPerThread = 32;

    /// <summary>The public key as a platform ECDsa when it is on P-256, else null.</summary>
    private ECDsa? PlatformKey()
    {
        if (GetPublicKey() is not ECPublicKeyParameters { } ec || !P256.Holds(ec))
        {
            return null;
        }

        var q = ec.Q.Normalize();
        var id = System.Convert.ToBase64String(q.GetEncoded(false));
        var recent = _recentKeys ??= new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        if (recent.TryGetValue(id, out var known))
        {
            return known;
        }

        try
        {
            var key = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = P256.Point(q),
            });
            if (recent.Count >= RecentKeysPerThread)
            {
                // Not disposed here: a verifier made earlier may still hold one; the finalizer frees the handle.
                recent.Clear();
            }

            recent[id] = key;
            return key;
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Hashes the signed content as BouncyCastle writes it, then verifies the DER signature over the SHA-256.</summary>
    private sealed class PlatformEcdsa13Verifier(ECDsa key) : Tls13Verifier
    {
        private readonly HashingSink _content = new();

        public Stream Stream => _content;

        // The key stays in the thread's cache; BouncyCastle verifies on the thread that created the verifier.
        public bool VerifySignature(byte[] signature) => key.VerifyHash(_content.Hash(), signature, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>
    /// A write-only stream into SHA-256. BouncyCastle disposes the stream before it asks for the verdict,
    /// so disposing must not lose the hash state.
    /// </summary>
    private sealed class HashingSink : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte[] Hash()
        {
            using (_hash)
            {
                return _hash.GetHashAndReset();
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _hash.AppendData(buffer);

        public override void WriteByte(byte value) => _hash.AppendData([value]);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
