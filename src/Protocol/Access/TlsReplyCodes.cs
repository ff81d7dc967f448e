namespace Gateway.Protocol.Access;

/// <summary>SPEC R53: the code and enhanced status a TLS requirement rejects with.</summary>
public static class TlsReplyCodes
{
    public static (int Code, string Status) For(RequirementPrefix prefix, ReplyCodeStyle style) => (prefix, style) switch
    {
        // 403 is not a standard SMTP code and 503 means "bad sequence": sendmail's choices, kept for compatibility.
        (RequirementPrefix.Temp, ReplyCodeStyle.Rfc) => (454, "4.7.0"),
        (RequirementPrefix.Temp, _) => (403, "4.7.0"),
        (RequirementPrefix.Perm, ReplyCodeStyle.Rfc) => (554, "5.7.0"),
        (RequirementPrefix.Perm, _) => (503, "5.7.0"),
        (_, ReplyCodeStyle.SendmailPermErr) => (554, "5.7.0"),
        _ => (454, "4.7.0"),
    };
}
