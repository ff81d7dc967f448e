using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>Builds X509Names from ASN.1 directly, so tests choose string types and multi-valued RDNs.</summary>
internal static class Names
{
    public static readonly DerObjectIdentifier Email = new("1.2.840.113549.1.9.1");

    /// <summary>One RDN per argument; an RDN with several AVAs is multi-valued.</summary>
    public static X509Name Of(params AttributeTypeAndValue[][] rdns) =>
        X509Name.GetInstance(new DerSequence(rdns.Select(Rdn).ToArray()));

    /// <summary>One single-valued RDN per AVA, the usual shape.</summary>
    public static X509Name Flat(params AttributeTypeAndValue[] avas) => Of(avas.Select(a => new[] { a }).ToArray());

    public static AttributeTypeAndValue Printable(DerObjectIdentifier type, string value) => new(type, new DerPrintableString(value));

    public static AttributeTypeAndValue Utf8(DerObjectIdentifier type, string value) => new(type, new DerUtf8String(value));

    public static AttributeTypeAndValue Bmp(DerObjectIdentifier type, string value) => new(type, new DerBmpString(value));

    public static AttributeTypeAndValue Ia5(DerObjectIdentifier type, string value) => new(type, new DerIA5String(value));

    public static AttributeTypeAndValue Ava(string oid, Asn1Encodable value) => new(new DerObjectIdentifier(oid), value);

    /// <summary>What `openssl req -subj` writes by default: C as PrintableString, the rest as UTF8String.</summary>
    public static X509Name OpenSslStyle(params (DerObjectIdentifier Type, string Value)[] avas) =>
        Flat(avas.Select(a => a.Type.Equals(X509Name.C) ? Printable(a.Type, a.Value) : Utf8(a.Type, a.Value)).ToArray());

    // DerSet would sort the AVAs by encoding (DER); DLSet keeps the order the test wrote.
    private static Asn1Encodable Rdn(AttributeTypeAndValue[] avas) => new DLSet(avas.Cast<Asn1Encodable>().ToArray());
}
