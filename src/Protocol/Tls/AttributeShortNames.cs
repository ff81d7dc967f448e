namespace Gateway.Protocol.Tls;

/// <summary>
/// OpenSSL's short names (OBJ_nid2sn) for DN attribute types, as X509_NAME_oneline writes them (SPEC R42 step 2).
/// An OID missing here is written in dotted form, which is also what OpenSSL does for an OID it has no name for.
/// </summary>
internal static class AttributeShortNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.4"] = "SN",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "street",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.12"] = "title",
        ["2.5.4.13"] = "description",
        ["2.5.4.14"] = "searchGuide",
        ["2.5.4.15"] = "businessCategory",
        ["2.5.4.16"] = "postalAddress",
        ["2.5.4.17"] = "postalCode",
        ["2.5.4.18"] = "postOfficeBox",
        ["2.5.4.19"] = "physicalDeliveryOfficeName",
        ["2.5.4.20"] = "telephoneNumber",
        ["2.5.4.41"] = "name",
        ["2.5.4.42"] = "GN",
        ["2.5.4.43"] = "initials",
        ["2.5.4.44"] = "generationQualifier",
        ["2.5.4.45"] = "x500UniqueIdentifier",
        ["2.5.4.46"] = "dnQualifier",
        ["2.5.4.65"] = "pseudonym",
        ["2.5.4.72"] = "role",
        ["2.5.4.97"] = "organizationIdentifier",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
        ["1.2.840.113549.1.9.2"] = "unstructuredName",
        ["1.2.840.113549.1.9.8"] = "unstructuredAddress",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["1.3.6.1.4.1.311.60.2.1.1"] = "jurisdictionL",
        ["1.3.6.1.4.1.311.60.2.1.2"] = "jurisdictionST",
        ["1.3.6.1.4.1.311.60.2.1.3"] = "jurisdictionC",
    };

    public static string Of(string oid) => Names.TryGetValue(oid, out var name) ? name : oid;
}
