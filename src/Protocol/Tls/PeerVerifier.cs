using Org.BouncyCastle.Pkix;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Store;

namespace Gateway.Protocol.Tls;

/// <summary>
/// Decides {verify} for a presented client certificate chain (SPEC R41): OK when it chains to a CA
/// from Tls:CACertFile or Tls:CACertPath, is valid now and (with CRLs loaded) not revoked; FAIL
/// otherwise. It never throws: verification must not abort the handshake (R16).
/// Not here: loading the files (Gateway), what {verify} permits (policy).
/// </summary>
public sealed class PeerVerifier
{
    private readonly ISet<TrustAnchor> _anchors;
    private readonly IReadOnlyList<X509Crl> _crls;
    private readonly TimeProvider _clock;

    public PeerVerifier(IEnumerable<X509Certificate> trusted, IEnumerable<X509Crl> crls, TimeProvider clock)
    {
        _anchors = new HashSet<TrustAnchor>(trusted.Select(c => new TrustAnchor(c, null)));
        _crls = [.. crls];
        _clock = clock;
    }

    public static PeerVerifier TrustNothing(TimeProvider clock) => new([], [], clock);

    public int TrustedCount => _anchors.Count;

    /// <summary>Verifies <paramref name="chain"/> (leaf first); the reason says why not, for the log (R80 level 13).</summary>
    public (string Verify, string Reason) Verify(IReadOnlyList<X509Certificate> chain)
    {
        if (chain.Count == 0)
        {
            return (VerifyValues.No, "no certificate");
        }

        if (_anchors.Count == 0)
        {
            return (VerifyValues.Fail, "no trusted CA configured (Tls:CACertFile, Tls:CACertPath)");
        }

        try
        {
            var leaf = chain[0];
            var parameters = new PkixBuilderParameters(_anchors, new X509CertStoreSelector { Certificate = leaf })
            {
                // SPEC R16: a certificate with no matching CRL is not failed; with CRLs loaded a
                // revoked one is. BouncyCastle's checker insists on a CRL per certificate, so
                // revocation is checked separately below.
                IsRevocationEnabled = false,
                Date = _clock.GetUtcNow().UtcDateTime,
            };
            parameters.AddStoreCert(CollectionUtilities.CreateStore(chain));
            var path = new PkixCertPathBuilder().Build(parameters).CertPath;
            foreach (var certificate in path.Certificates)
            {
                if (Revoked(certificate) is { } crl)
                {
                    return (VerifyValues.Fail, $"certificate revoked (serial {certificate.SerialNumber.ToString(16)}, CRL of {crl.IssuerDN})");
                }
            }

            return (VerifyValues.Ok, "ok");
        }
#pragma warning disable CA1031 // Any verification error is a FAIL verdict, never a failed handshake (R16).
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (VerifyValues.Fail, e.Message);
        }
    }

    private X509Crl? Revoked(X509Certificate certificate) =>
        _crls.FirstOrDefault(crl => crl.IssuerDN.Equivalent(certificate.IssuerDN) && crl.IsRevoked(certificate));
}
