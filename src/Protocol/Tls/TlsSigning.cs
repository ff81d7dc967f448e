using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace Gateway.Protocol.Tls;

/// <summary>How either side signs with its <see cref="CertifiedKey"/>: which scheme, and the Certificate message it sends.</summary>
internal static class TlsSigning
{
    /// <summary>
    /// The first scheme the other side offers that <paramref name="credentials"/>' key can make, or null.
    /// Without the signature_algorithms extension (TLS 1.2 only) that is SHA-1 (RFC 5246 §7.4.1.4.1).
    /// </summary>
    public static SignatureAndHashAlgorithm? FirstUsable(IList<SignatureAndHashAlgorithm>? offered, CertifiedKey credentials, bool tls13)
    {
        var ec = credentials.IsEc;
        if (offered is null)
        {
            return new SignatureAndHashAlgorithm(HashAlgorithm.sha1, ec ? SignatureAlgorithm.ecdsa : SignatureAlgorithm.rsa);
        }

        // RFC 8446 §4.2.3: in TLS 1.3 an ECDSA scheme names the curve, so the hash must match the key's curve
        // (a P-256 key signs with SHA-256).
        var curveHash = credentials.PrivateKey is ECPrivateKeyParameters key
            ? key.Parameters.Curve.FieldSize switch { <= 256 => HashAlgorithm.sha256, <= 384 => HashAlgorithm.sha384, _ => HashAlgorithm.sha512 }
            : (short)-1;
        for (var i = 0; i < offered.Count; i++)
        {
            var algorithm = offered[i];
            var usable = ec
                ? algorithm.Signature == SignatureAlgorithm.ecdsa && (!tls13 || algorithm.Hash == curveHash)
                : algorithm.Signature == SignatureAlgorithm.rsa_pss_rsae_sha256
                  || algorithm.Signature == SignatureAlgorithm.rsa_pss_rsae_sha384
                  || algorithm.Signature == SignatureAlgorithm.rsa_pss_rsae_sha512
                  || (!tls13 && algorithm.Signature == SignatureAlgorithm.rsa);
            if (usable)
            {
                return algorithm;
            }
        }

        return null;
    }

    /// <summary>
    /// The Certificate message for <paramref name="chain"/>: in TLS 1.3 one entry per certificate, echoing the
    /// request's context (RFC 8446 §4.4.2; empty for a server's own certificate).
    /// </summary>
    public static Certificate CertificateMessage(TlsContext context, byte[] requestContext, TlsCertificate[] chain) =>
        TlsUtilities.IsTlsV13(context)
            ? new Certificate(requestContext, [.. chain.Select(c => new CertificateEntry(c, null))])
            : new Certificate(chain);
}
