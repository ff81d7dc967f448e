namespace Gateway.Protocol.Session;

/// <summary>
/// Everything the session rules remember between commands. Immutable: each rule returns a new one.
/// <see cref="HeloName"/> is null until HELO/EHLO; <see cref="Transaction"/> null outside MAIL…DATA.
/// </summary>
public sealed record SessionState(
    string ClientAddress,
    string? HeloName = null,
    bool Extended = false,
    Transaction? Transaction = null,
    int BadCommands = 0,
    bool SawFirstCommand = false,
    bool TlsActive = false)
{
    /// <summary>SPEC R9 / RFC 3848: the Received "with" keyword, decided when MAIL arrives.</summary>
    public string Protocol(bool smtpUtf8) =>
        (Extended, smtpUtf8, TlsActive) switch
        {
            (false, _, _) => "SMTP",
            (true, true, true) => "UTF8SMTPS",
            (true, true, false) => "UTF8SMTP",
            (true, false, true) => "ESMTPS",
            _ => "ESMTP",
        };
}
