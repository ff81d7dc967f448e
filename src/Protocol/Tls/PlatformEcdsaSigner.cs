using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace Gateway.Protocol.Tls;

/// <summary>
/// The server's ECDSA P-256 signature (CertificateVerify in TLS 1.3, ServerKeyExchange in 1.2)
/// made by the platform's ECDsa (OpenSSL on Linux) over the hash BouncyCastle computed. The TLS
/// protocol stays BouncyCastle's; only this one primitive moves, because BouncyCastle's managed
/// point multiplication was the largest single cost of a STARTTLS session (measured: ~14 % of
/// the gateway's CPU per handshake). The key is imported once per node.
/// </summary>
internal sealed class PlatformEcdsaSigner : TlsSigner, IDisposable
{
    private readonly ECDsa _key;

    private PlatformEcdsaSigner(ECDsa key) => _key = key;

    /// <summary>A signer for a P-256 key, or null when the key is of another curve (BouncyCastle signs then).</summary>
    public static PlatformEcdsaSigner? TryCreate(ECPrivateKeyParameters privateKey)
    {
        if (!P256.Holds(privateKey))
        {
            return null;
        }

        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = privateKey.D.ToByteArrayUnsigned().PadLeft(32),
            Q = P256.Point(privateKey.Parameters.G.Multiply(privateKey.D)),
        };
        try
        {
            return new PlatformEcdsaSigner(ECDsa.Create(parameters));
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    public byte[] GenerateRawSignature(SignatureAndHashAlgorithm algorithm, byte[] hash)
    {
        if (algorithm is not null && algorithm.Signature != SignatureAlgorithm.ecdsa)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error, $"ECDSA key asked for {algorithm}");
        }

        return _key.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    // Null: BouncyCastle hashes the message itself and calls GenerateRawSignature.
    public TlsStreamSigner? GetStreamSigner(SignatureAndHashAlgorithm algorithm) => null;

    public void Dispose() => _key.Dispose();
}

internal static class ByteArrayPadding
{
    public static byte[] PadLeft(this byte[] bytes, int length) =>
        bytes.Length >= length ? bytes : [.. new byte[length - bytes.Length], .. bytes];
}
