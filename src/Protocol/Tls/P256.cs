using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gateway.Protocol.Tls;

/// <summary>The one curve whose ECDSA is moved to the platform (signing and TLS 1.3 verification); everything else stays BouncyCastle's.</summary>
internal static class P256
{
    private static readonly X9ECParameters Curve = ECNamedCurveTable.GetByName("P-256");

    public static bool Holds(ECKeyParameters key) => key.Parameters.Curve.Equals(Curve.Curve) && key.Parameters.G.Equals(Curve.G);

    /// <summary>.NET's form of a P-256 public point, for ECDsa.Create.</summary>
    public static System.Security.Cryptography.ECPoint Point(Org.BouncyCastle.Math.EC.ECPoint q)
    {
        var normal = q.Normalize();
        return new System.Security.Cryptography.ECPoint { X = normal.AffineXCoord.GetEncoded(), Y = normal.AffineYCoord.GetEncoded() };
    }
}
