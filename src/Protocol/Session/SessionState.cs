using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Session;

/// <summary>
/// Everything the session rules remember between commands. Immutable: each rule returns a new one.
/// <see cref="HeloName"/> is null until HELO/EHLO; <see cref="Transaction"/> null outside MAIL…DATA.
/// <see cref="Restricted"/> is the refusal of restricted mode (SPEC R10; also a refusing Connect: entry): set, it
/// answers every command but QUIT, HELO, EHLO, NOOP, RSET and unknown ones. <see cref="Host"/>: the reverse
/// lookup's result, null until it is known (or when none is made). <see cref="Policy"/>: what the access map decided
/// about this client before the greeting.
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
    ClientHost? Host = null)
{
    /// <summary>The access map's facts for this client (Connect:, Srv_Features); <see cref="ClientPolicy.None"/> without a map.</summary>
    public ClientPolicy Policy { get; init; } = ClientPolicy.None;

    /// <summary>sendmail's <c>relay=</c> in the log: the host description once the reverse lookup is known, else the bracketed address.</summary>
    public string Relay => Host is { Resolve: not ClientResolve.None } host ? host.Description : $"[{ClientAddress}]";

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
