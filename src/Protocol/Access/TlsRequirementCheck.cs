namespace Gateway.Protocol.Access;

/// <summary>
/// SPEC R54, shared by tls_client, tls_server and tls_rcpt: the built-in errors first, then the requirement
/// found in the map, if any. Every row of R57 is a unit test of this function.
/// </summary>
public static class TlsRequirementCheck
{
    /// <param name="value">The value the lookup found, or null when nothing matched.</param>
    /// <param name="lookup">Looks up one key in the map, for <c>CITag:</c> (R54 step 6).</param>
    public static Verdict Evaluate(TlsCheckInput input, string? value, ReplyCodeStyle style, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lookup);

        // Step 1: the code. A value that is not a requirement (or a broken one, refused at load) leaves the default.
        var requirement = value is null ? null : Requirement.Parse(value, out _);
        var (code, status) = TlsReplyCodes.For(requirement?.Prefix ?? RequirementPrefix.None, style);

        // Step 2: failures of TLS itself are refused whatever the map says.
        if (BuiltInError(input.Verify) is { } failure)
        {
            return Verdict.Reject(code, status, failure, $"{{verify}}={input.Verify}");
        }

        // Step 3: nothing required.
        if (requirement is null)
        {
            return Verdict.Continue with { Reason = value is null ? "no entry" : $"'{value}' is not a requirement" };
        }

        // Step 4: VERIFY needs a verified certificate.
        if (requirement.Verify && input.Verify is not ("OK" or "TRUSTED"))
        {
            return Verdict.Reject(code, status, NotVerified(input.Verify), $"'{value}' needs a verified certificate");
        }

        // Step 5: strength, where a SASL security layer counts as much as the cipher.
        var actual = Math.Max(input.CipherBits, input.AuthSsf);
        if (actual < requirement.Bits)
        {
            return Verdict.Reject(code, status, $"encryption too weak {actual} less than {requirement.Bits}", $"'{value}'");
        }

        // Step 6: every extension must pass.
        foreach (var extension in requirement.Extensions)
        {
            if (Extension(extension, input, lookup) is { } text)
            {
                return Verdict.Reject(code, status, text, $"'{value}'");
            }
        }

        return Verdict.Continue with { Reason = $"'{value}' is met" };
    }

    /// <summary>R54 step 2; CONFIG since 8.17.1, PROTOCOL since 8.13.</summary>
    private static string? BuiltInError(string verify) => verify switch
    {
        "SOFTWARE" => "TLS handshake failed.",
        "PROTOCOL" => "STARTTLS failed.",
        "CONFIG" => "STARTTLS temporarily not possible.",
        _ => null,
    };

    /// <summary>R54 step 4's table.</summary>
    private static string NotVerified(string verify) => verify switch
    {
        "" => "authentication required",
        "FAIL" => "authentication failed",
        "NO" => "not authenticated",
        "NOT" => "no authentication requested",
        "NONE" => "other side does not support STARTTLS",
        "CLEAR" => "STARTTLS disabled locally",
        _ => $"authentication failure {verify}",
    };

    /// <summary>Null when the extension passes, else the reply text.</summary>
    private static string? Extension(RequirementExtension extension, TlsCheckInput input, Func<string, string?> lookup) => extension switch
    {
        RequirementExtension.CommonName cn when !input.CnSubject.Equals(cn.Name ?? input.PeerName, StringComparison.OrdinalIgnoreCase)
            => $"CN {input.CnSubject} does not match {cn.Name ?? input.PeerName}",
        RequirementExtension.CertSubject cs when !input.CertSubject.Equals(cs.Dn, StringComparison.Ordinal)
            => $"Cert Subject {input.CertSubject} does not match {cs.Dn}",
        RequirementExtension.CertIssuer ci when !input.CertIssuer.Equals(ci.Dn, StringComparison.Ordinal)
            => $"Cert Issuer {input.CertIssuer} does not match {ci.Dn}",
        RequirementExtension.IssuerTag tag when !string.Equals(lookup($"{tag.Tag}:{input.CertIssuer}")?.Trim(), "OK", StringComparison.OrdinalIgnoreCase)
            => $"Cert Issuer {input.CertIssuer} not acceptable",
        _ => null,
    };
}
