using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;

namespace Gateway.Protocol.Tls;

/// <summary>
/// OpenSSL's one-line DN (X509_NAME_oneline into sendmail's 256-byte buffer), built from the ASN.1
/// structure because access-map keys are written in exactly this form (SPEC R42). Not RFC 4514.
/// </summary>
public static class DnRenderer
{
    /// <summary>R42 step 5: sendmail's buffer is 256 bytes, so at most 255 characters.</summary>
    public const int MaxLength = 255;

    private const string Hex = "0123456789ABCDEF";

    /// <summary>
    /// The raw one-line string, one char per byte (Latin-1), not yet +HEX-encoded (use <see cref="HexQuoting"/>).
    /// An empty name gives "".
    /// </summary>
    public static string OneLine(X509Name name, DnFormat format)
    {
        ArgumentNullException.ThrowIfNull(name);
        var line = new StringBuilder(MaxLength);
        var ava = new StringBuilder();

        // R42 step 1: encoded order, first RDN first; never reversed as RFC 4514 would.
        foreach (var rdn in Asn1Sequence.GetInstance(name.ToAsn1Object()))
        {
            var first = true;
            foreach (var element in Asn1Set.GetInstance(rdn))
            {
                ava.Clear();
                Append(ava, AttributeTypeAndValue.GetInstance(element), first, format);
                first = false;

                // R42 step 5: the first AVA that doesn't fit ends the string; later, shorter ones are not tried.
                if (line.Length + ava.Length > MaxLength)
                {
                    return line.ToString();
                }

                line.Append(ava);
            }
        }

        return line.ToString();
    }

    /// <summary>The one-line subject DN of a certificate.</summary>
    public static string Subject(X509CertificateStructure certificate, DnFormat format) =>
        OneLine(certificate?.Subject ?? throw new ArgumentNullException(nameof(certificate)), format);

    /// <summary>The one-line issuer DN of a certificate.</summary>
    public static string Issuer(X509CertificateStructure certificate, DnFormat format) =>
        OneLine(certificate?.Issuer ?? throw new ArgumentNullException(nameof(certificate)), format);

    private static void Append(StringBuilder ava, AttributeTypeAndValue pair, bool firstInRdn, DnFormat format)
    {
        var openSsl3 = format == DnFormat.OpenSsl3;

        // R42 step 4: OpenSSL 3 joins the AVAs of one multi-valued RDN with "+"; legacy starts each with "/".
        ava.Append(openSsl3 && !firstInRdn ? '+' : '/');
        ava.Append(AttributeShortNames.Of(pair.Type.Id)).Append('=');

        foreach (var b in AsnStringBytes.Of(pair.Value))
        {
            if (b is < 0x20 or > 0x7E)
            {
                // R42 step 3: "\x" and two uppercase hex digits.
                ava.Append("\\x").Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
            else
            {
                // R42 step 4 / R86: only OpenSSL 3 escapes the separators, so a "/" in a value can't fake an AVA.
                if (openSsl3 && b is (byte)'/' or (byte)'+')
                {
                    ava.Append('\\');
                }

                ava.Append((char)b);
            }
        }
    }
}
