using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;

namespace Gateway.Protocol.Tls;

/// <summary>The first CN of a DN as raw bytes, with sendmail's checks (SPEC R43, R86: match CNs, not DN substrings).</summary>
public static class CommonName
{
    /// <summary>R43: the longest CN sendmail takes; 255 bytes or more fill its 256-byte buffer and count as too long.</summary>
    public const int MaxBytes = 254;

    public static CnResult Extract(X509Name name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var rdn in Asn1Sequence.GetInstance(name.ToAsn1Object()))
        {
            foreach (var element in Asn1Set.GetInstance(rdn))
            {
                var pair = AttributeTypeAndValue.GetInstance(element);
                if (pair.Type.Equals(X509Name.CN))
                {
                    return Check(AsnStringBytes.Of(pair.Value));
                }
            }
        }

        return new CnResult(null, CnError.Unknown);
    }

    private static CnResult Check(byte[] raw) =>
        raw.Length > MaxBytes ? new CnResult(null, CnError.TooLong)
        : Array.IndexOf(raw, (byte)0) >= 0 ? new CnResult(null, CnError.ContainsNul)
        : new CnResult(raw, CnError.None);
}
