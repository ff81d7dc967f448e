using System.Globalization;

namespace Gateway.Protocol.Access;

/// <summary>
/// A TLS requirement, the value of a <c>TLS_Clt:</c>, <c>TLS_Srv:</c> or <c>TLS_Rcpt:</c> entry (SPEC R52):
/// <c>[PERM+|TEMP+] (VERIFY | VERIFY:bits | ENCR:bits) [+ext *(++ext)]</c>, keywords in any case.
/// </summary>
public sealed record Requirement(RequirementPrefix Prefix, bool Verify, int Bits, IReadOnlyList<RequirementExtension> Extensions)
{
    /// <summary>
    /// The requirement <paramref name="value"/> states, or null when it states none (R52: a value whose core is
    /// not VERIFY or ENCR, such as OK, means "no requirement"). A value that starts like a requirement but
    /// cannot be read (<c>VERIFY:abc</c>, <c>ENCR</c> without bits, an unknown extension) is an error with the
    /// reason, so the map loader can refuse a typo instead of silently accepting everyone.
    /// </summary>
    public static Requirement? Parse(string value, out string? error)
    {
        error = null;
        var rest = value.Trim();
        var prefix = RequirementPrefix.None;
        if (rest.StartsWith("PERM+", StringComparison.OrdinalIgnoreCase))
        {
            (prefix, rest) = (RequirementPrefix.Perm, rest[5..]);
        }
        else if (rest.StartsWith("TEMP+", StringComparison.OrdinalIgnoreCase))
        {
            (prefix, rest) = (RequirementPrefix.Temp, rest[5..]);
        }

        var plus = rest.IndexOf('+', StringComparison.Ordinal);
        var core = plus < 0 ? rest : rest[..plus];
        var extensions = plus < 0 ? "" : rest[(plus + 1)..];
        bool verify;
        string? bits;
        if (core.Equals("VERIFY", StringComparison.OrdinalIgnoreCase))
        {
            (verify, bits) = (true, null);
        }
        else if (core.StartsWith("VERIFY:", StringComparison.OrdinalIgnoreCase))
        {
            (verify, bits) = (true, core[7..]);
        }
        else if (core.StartsWith("ENCR:", StringComparison.OrdinalIgnoreCase))
        {
            (verify, bits) = (false, core[5..]);
        }
        else if (core.StartsWith("ENCR", StringComparison.OrdinalIgnoreCase) || core.StartsWith("VERIFY", StringComparison.OrdinalIgnoreCase) || prefix != RequirementPrefix.None)
        {
            error = $"'{value}': expected VERIFY, VERIFY:bits or ENCR:bits";
            return null;
        }
        else
        {
            return null;
        }

        var strength = 0;
        if (bits is not null && !int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out strength))
        {
            error = $"'{value}': '{bits}' is not a number of bits";
            return null;
        }

        var parsed = new List<RequirementExtension>();
        if (plus >= 0)
        {
            foreach (var ext in extensions.Split("++"))
            {
                if (Extension(ext) is { } extension)
                {
                    parsed.Add(extension);
                }
                else
                {
                    error = $"'{value}': unknown extension '{ext}' (CN, CN:name, CS:dn, CI:dn, CITag:tag)";
                    return null;
                }
            }
        }

        return new Requirement(prefix, verify, strength, parsed);
    }

    private static RequirementExtension? Extension(string text) => text switch
    {
        _ when text.Equals("CN", StringComparison.OrdinalIgnoreCase) => new RequirementExtension.CommonName(null),
        _ when text.StartsWith("CN:", StringComparison.OrdinalIgnoreCase) && text.Length > 3 => new RequirementExtension.CommonName(text[3..]),
        _ when text.StartsWith("CS:", StringComparison.OrdinalIgnoreCase) && text.Length > 3 => new RequirementExtension.CertSubject(text[3..]),
        _ when text.StartsWith("CI:", StringComparison.OrdinalIgnoreCase) && text.Length > 3 => new RequirementExtension.CertIssuer(text[3..]),
        _ when text.StartsWith("CITag:", StringComparison.OrdinalIgnoreCase) && text.Length > 6 => new RequirementExtension.IssuerTag(text[6..]),
        _ => null,
    };
}
