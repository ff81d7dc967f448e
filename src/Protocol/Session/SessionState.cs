using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Session;

/// <summary>
/// Everything the session rules remember between commands. Immutable: each rule returns a new one.
/// <see cref="HeloName"/> is null until HELO/EHLO; <see cref="Transaction"/> null outside MAIL…DATA.
/// <see cref="Restricted"/> is the refusal of restricted mode (SPEC R10; also a refusing Connect: entry): set, it
/// answers every command but QUIT, HELO, EHLO, NOOP, RSET and unknown ones. <see cref="TlsHidden"/>: Srv_Features
/// said <c>S</c> for this client (R63), so STARTTLS is neither offered nor accepted. <see cref="Host"/>: the reverse
/// lookup's result, null until it is known (or when none is made).
/// </summary>
public sealed record SessionState(
    string ClientAddress,
    string? HeloName = null,
    bool Extended = false,
    Transaction? Transaction = null,
    int BadCommands = 0,
    bool SawFirstCommand = false,
    bool TlsActive = false,
    Reply? Restricted = null,
    bool TlsHidden = false,
    ClientHost? Host = null)
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
