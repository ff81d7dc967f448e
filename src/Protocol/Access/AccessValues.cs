namespace Gateway.Protocol.Access;

/// <summary>
/// What each tag's value must look like, checked when the map is loaded so that a typo is refused with its
/// line instead of silently deciding nothing: TLS requirements (R52), feature letters (R63), RelayTLS values
/// (R60), and the classic OK/RELAY/REJECT/DISCARD/SKIP/ERROR values of Connect:, From:, To: and untagged keys.
/// Other tags (CITag names such as <c>BankCA:</c>, <c>Try_TLS:</c>, <c>Clt_Features:</c>, ...) are not checked.
/// </summary>
public static class AccessValues
{
    /// <summary>Null when the value suits the key's tag, else why not.</summary>
    public static string? Check(string key, string value)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var tag = colon < 0 ? "" : key[..colon].ToUpperInvariant();
        string? error = null;
        switch (tag)
        {
            case "TLS_CLT" or "TLS_SRV" or "TLS_RCPT":
                Requirement.Parse(value, out error);
                break;
            case "SRV_FEATURES":
                ServerFeatures.Parse(value, out error);
                break;
            case "CERTISSUER":
                error = value.Trim().ToUpperInvariant() is "RELAY" or "SUBJECT" ? null : $"'{value}': a CertIssuer entry is RELAY or SUBJECT";
                break;
            case "CERTSUBJECT":
                error = value.Trim().Equals("RELAY", StringComparison.OrdinalIgnoreCase) ? null : $"'{value}': a CertSubject entry is RELAY";
                break;
            case "CONNECT" or "FROM" or "TO" or "" or "IPV6":
                // "IPv6:2001:db8::1 REJECT" is an untagged address key, not a tag called IPv6.
                AccessAction.Parse(value, out error);
                break;
        }

        return error;
    }
}
