namespace Gateway.Protocol.Access;

/// <summary>Which codes a TLS requirement rejects with (SPEC R53; <c>Access:ReplyCodes</c>).</summary>
public enum ReplyCodeStyle
{
    /// <summary>sendmail ≥ 8.17: 454 4.7.0 by default, 403 4.7.0 with TEMP+, 503 5.7.0 with PERM+.</summary>
    Sendmail,

    /// <summary>sendmail ≥ 8.17 built with TLS_PERM_ERR: the default becomes 554 5.7.0.</summary>
    SendmailPermErr,

    /// <summary>Gateway choice: standard codes only, 454 4.7.0 for the default and TEMP+, 554 5.7.0 for PERM+.</summary>
    Rfc,
}
