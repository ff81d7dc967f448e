using Org.BouncyCastle.Asn1;

namespace Gateway.Protocol.Tls;

/// <summary>
/// The raw octets OpenSSL keeps for a DN attribute value (ASN1_STRING data): the contents octets of a
/// primitive encoding, so UTF8String gives UTF-8, BMPString two bytes per unit (SPEC R42 step 3).
/// </summary>
internal static class AsnStringBytes
{
    private const int BitStringTag = 3;

    public static byte[] Of(Asn1Encodable value)
    {
        var der = value.ToAsn1Object().GetEncoded(Asn1Encodable.Der);
        var first = der[0];

        // OpenSSL keeps a constructed value (e.g. a SEQUENCE) whole, tag and length included (checked with 3.0).
        if ((first & 0x20) != 0 || (first & 0x1F) == 0x1F)
        {
            return der;
        }

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

        // A BIT STRING's first contents octet counts unused bits; OpenSSL's data starts after it.
        if ((first & 0x1F) == BitStringTag && length > 0)
        {
            at++;
            length--;
        }

        return der.AsSpan(at, length).ToArray();
    }
}
