using Org.BouncyCastle.Asn1;

namespace Gateway.Protocol.Tls;

/// <summary>
/// The raw octets OpenSSL keeps for a DN attribute value (ASN1_STRING data): the contents octets of a
/// primitive encoding, so UTF8String gives UTF-8, BMPString two bytes per unit (SPEC R42 step 3).
/// </summary>
internal static class AsnStringBytes
{
    /// <summary>Universal tag of GeneralString, which X509_NAME_oneline treats specially.</summary>
    public const int GeneralStringTag = 27;

    /// <param name="tag">The universal tag number, or -1 for a constructed or non-universal value.</param>
    public static byte[] Of(Asn1Encodable value, out int tag)
    {
        var der = value.ToAsn1Object().GetEncoded(Asn1Encodable.Der);
        var first = der[0];

        // A constructed value (e.g. a SEQUENCE) is kept whole by OpenSSL's MSTRING type, tag and length included.
        if ((first & 0x20) != 0 || (first & 0xC0) != 0 || (first & 0x1F) == 0x1F)
        {
            tag = -1;
            return der;
        }

        tag = first & 0x1F;
        var at = 1;
        int length = der[at++];
        if (length >= 0x80)
        {
            var count = length & 0x7F;
            length = 0;
            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | der[at++];
            }
        }

        return der.AsSpan(at, length).ToArray();
    }
}
