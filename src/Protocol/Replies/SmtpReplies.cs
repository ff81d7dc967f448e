using Gateway.Protocol.Session;

namespace Gateway.Protocol.Replies;

/// <summary>Every reply the server sends, in one place, so wording and codes are reviewed together.</summary>
public static class SmtpReplies
{
    private static Reply R(ReplyCode code, int c, int s, int d, string text) => new(code, new EnhancedStatus(c, s, d), text);

    public static Reply Greeting(string hostname) => new(ReplyCode.ServiceReady, null, $"{hostname} ESMTP Gateway ready");

    public static Reply Helo(string hostname, string clientDomain) => new(ReplyCode.Ok, null, $"{hostname} Hello {clientDomain}");

    /// <summary>RFC 5321 §4.1.1.1: the first EHLO line greets, each further line names an extension.</summary>
    public static Reply Ehlo(string hostname, string clientDomain, IEnumerable<string> extensions) =>
        new(ReplyCode.Ok, null, [$"{hostname} Hello {clientDomain}", .. extensions]);

    public static readonly Reply Ok = R(ReplyCode.Ok, 2, 0, 0, "Ok");
    public static readonly Reply SenderOk = R(ReplyCode.Ok, 2, 1, 0, "Sender ok");
    public static readonly Reply RecipientOk = R(ReplyCode.Ok, 2, 1, 5, "Recipient ok");
    public static readonly Reply Reset = R(ReplyCode.Ok, 2, 0, 0, "Reset state");
    public static readonly Reply StartMailInput = new(ReplyCode.StartMailInput, null, "End data with <CR><LF>.<CR><LF>");

    public static Reply Queued(string id) => R(ReplyCode.Ok, 2, 0, 0, $"Ok: queued as {id}");

    public static Reply ChunkAccepted(long size) => R(ReplyCode.Ok, 2, 0, 0, $"{size} octets received");

    public static Reply Closing(string hostname) => R(ReplyCode.Closing, 2, 0, 0, $"{hostname} closing connection");

    /// <summary>RFC 5321 §3.5.3: VRFY may answer 252 when the server will not verify.</summary>
    public static readonly Reply CannotVerify = R(ReplyCode.CannotVerify, 2, 5, 2, "Cannot VRFY user; try RCPT to attempt delivery");

    public static readonly Reply Help = new(ReplyCode.HelpMessage, new EnhancedStatus(2, 0, 0),
        ["Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP", "See RFC 5321"]);

    // 5.5.x: command syntax and sequence (RFC 3463 §3.6).
    public static readonly Reply CommandUnrecognized = R(ReplyCode.SyntaxError, 5, 5, 2, "Command unrecognized");
    public static readonly Reply LineTooLong = R(ReplyCode.SyntaxError, 5, 5, 2, "Line too long");
    public static readonly Reply CommandNotImplemented = R(ReplyCode.NotImplemented, 5, 5, 1, "Command not implemented");
    public static readonly Reply BadSequence = R(ReplyCode.BadSequence, 5, 5, 1, "Bad sequence of commands");
    public static readonly Reply HelloFirst = R(ReplyCode.BadSequence, 5, 5, 1, "Send HELO/EHLO first");
    public static readonly Reply NestedMail = R(ReplyCode.BadSequence, 5, 5, 1, "Sender already specified");
    public static readonly Reply NeedMail = R(ReplyCode.BadSequence, 5, 5, 1, "Need MAIL before RCPT");
    public static readonly Reply NeedRcpt = R(ReplyCode.BadSequence, 5, 5, 1, "Need RCPT before DATA");
    public static readonly Reply DataAfterBdat = R(ReplyCode.BadSequence, 5, 5, 1, "DATA not allowed during a BDAT transfer");
    public static readonly Reply NoParametersAllowed = R(ReplyCode.ParameterSyntaxError, 5, 5, 4, "Syntax error (no parameters allowed)");
    public static readonly Reply HeloSyntax = R(ReplyCode.ParameterSyntaxError, 5, 5, 4, "Syntax: HELO/EHLO domain");
    public static readonly Reply MailSyntax = R(ReplyCode.ParameterSyntaxError, 5, 5, 4, "Syntax: MAIL FROM:<address>");
    public static readonly Reply RcptSyntax = R(ReplyCode.ParameterSyntaxError, 5, 5, 4, "Syntax: RCPT TO:<address>");
    public static readonly Reply BdatSyntax = R(ReplyCode.ParameterSyntaxError, 5, 5, 4, "Syntax: BDAT size [LAST]");
    public static readonly Reply VrfySyntax = R(ReplyCode.ParameterSyntaxError, 5, 5, 4, "Syntax: VRFY address");
    public static readonly Reply InvalidCharacters = R(ReplyCode.SyntaxError, 5, 5, 2, "Invalid characters in command");

    public static Reply BadSenderSyntax(string why) => R(ReplyCode.ParameterSyntaxError, 5, 1, 7, $"Bad sender address syntax: {why}");

    public static Reply BadRecipientSyntax(string why) => R(ReplyCode.ParameterSyntaxError, 5, 1, 3, $"Bad recipient address syntax: {why}");

    public static Reply ParameterSyntax(string keyword) => R(ReplyCode.ParameterSyntaxError, 5, 5, 4, $"Bad value for parameter {keyword}");

    public static Reply ParameterUnknown(string keyword) => R(ReplyCode.ParametersNotRecognized, 5, 5, 4, $"Unsupported parameter {keyword}");

    public static Reply ParameterDuplicate(string keyword) => R(ReplyCode.ParameterSyntaxError, 5, 5, 4, $"Duplicate parameter {keyword}");

    // SPEC R3: STARTTLS replies, in the order they are evaluated.
    public static readonly Reply StartTlsSyntax = R(ReplyCode.ParameterSyntaxError, 5, 5, 2, "Syntax error (no parameters allowed)");
    public static readonly Reply TlsNotOffered = R(ReplyCode.BadSequence, 5, 5, 0, "TLS not available");
    public static readonly Reply TlsNotAvailable = R(ReplyCode.TlsNotAvailable, 4, 3, 3, "TLS not available after start");
    public static readonly Reply TlsAlreadyActive = R(ReplyCode.TlsNotAvailable, 4, 3, 3, "TLS already active");
    public static readonly Reply TlsDuringTransaction = R(ReplyCode.BadSequence, 5, 5, 0, "TLS not permitted during a mail transaction");
    public static readonly Reply ReadyToStartTls = R(ReplyCode.ServiceReady, 2, 0, 0, "Ready to start TLS");

    // SPEC R8 (gateway choice): after the handshake the client must introduce itself again.
    public static readonly Reply HelloAfterTls = R(ReplyCode.BadSequence, 5, 5, 1, "EHLO/HELO required after STARTTLS");

    // RFC 6531 §3.5: a non-ASCII address without SMTPUTF8.
    public static readonly Reply NonAsciiAddress = R(ReplyCode.MailboxNameNotAllowed, 5, 6, 7, "Non-ASCII address requires SMTPUTF8");

    // RFC 1870 §6.2 / RFC 3463 §3.4: declared or actual size over the limit.
    public static Reply MessageTooBig(long limit) => R(ReplyCode.ExceededStorage, 5, 3, 4, $"Message size exceeds fixed limit of {limit} octets");

    // RFC 5321 §4.5.3.1.10: too many recipients is a 452, and the client sends the rest later.
    public static readonly Reply TooManyRecipients = R(ReplyCode.InsufficientStorage, 4, 5, 3, "Too many recipients");

    // sendmail words the refusal after the client's reverse lookup (its proto.m4 relay check on {client_resolve},
    // SPEC section 17). TEMP is a 450: a later try may find the name that grants relaying.
    /// <summary>An access-map REJECT (sendmail's default text for it).</summary>
    public static readonly Reply AccessDenied = R(ReplyCode.MailboxUnavailable, 5, 7, 1, "Access denied");

    public static Reply RelayingDenied(string recipient, ClientHost? host = null) => host?.Resolve switch
    {
        ClientResolve.Temp => R(ReplyCode.MailboxUnavailableTransient, 4, 4, 0, $"<{recipient}>... Relaying temporarily denied. Cannot resolve PTR record for {host.Addr}"),
        ClientResolve.Forged => R(ReplyCode.MailboxUnavailable, 5, 7, 1, $"<{recipient}>... Relaying denied. IP name possibly forged {Shortened(host.PtrName)}"),
        ClientResolve.Fail => R(ReplyCode.MailboxUnavailable, 5, 7, 1, $"<{recipient}>... Relaying denied. IP name lookup failed {host.Name}"),
        _ => R(ReplyCode.MailboxUnavailable, 5, 7, 1, $"<{recipient}>... Relaying denied"),
    };

    // A 253-character name after a 256-character recipient would pass RFC 5321 §4.5.3.1.5's 512-octet reply line.
    private static string? Shortened(string? name) => name is { Length: > 180 } ? name[..177] + "..." : name;

    // RFC 5321 §2.3.8: CR and LF only occur together as CRLF; a bare one is how smuggling starts.
    public static readonly Reply BareLineEnding = R(ReplyCode.TransactionFailed, 5, 6, 0, "Message contains a bare CR or LF (RFC 5321 §2.3.8); rejected");

    public static readonly Reply TextLineTooLong = R(ReplyCode.TransactionFailed, 5, 6, 0, "Message has a line longer than 998 octets (RFC 5321 §4.5.3.1.6); rejected");

    /// <summary>SPEC R50: the access map could not be asked (no answer in time): a temporary failure, never an accept by default.</summary>
    public static readonly Reply AccessMapUnavailable = R(ReplyCode.LocalError, 4, 3, 0, "Temporary system failure. Please try again later.");

    /// <summary>SPEC R63: srv_features could not be answered; sendmail's restricted-mode reply.</summary>
    public static readonly Reply SrvFeaturesTempFail = R(ReplyCode.MailboxUnavailableTransient, 4, 3, 0, "Please try again later.");

    public static readonly Reply SpoolFailed = R(ReplyCode.InsufficientStorage, 4, 3, 1, "Insufficient system storage, try again later");

    public static Reply TooManyErrors(string hostname) => R(ReplyCode.ServiceNotAvailable, 4, 7, 0, $"{hostname} Too many bad commands; closing connection");

    public static Reply Timeout(string hostname) => R(ReplyCode.ServiceNotAvailable, 4, 4, 2, $"{hostname} Timeout waiting for input; closing connection");

    public static Reply ShuttingDown(string hostname) => R(ReplyCode.ServiceNotAvailable, 4, 3, 2, $"{hostname} Service shutting down; closing connection");

    public static Reply TooManyConnections(string hostname) => R(ReplyCode.ServiceNotAvailable, 4, 3, 2, $"{hostname} Too many connections; try again later");

    /// <summary>Smtp:MaxConnectionRatePerClient reached (Postfix's anvil: "too many connections from").</summary>
    public static Reply TooManyConnectionsPerMinute(string hostname, int limit) =>
        R(ReplyCode.ServiceNotAvailable, 4, 7, 0, $"{hostname} Too many connections from your address: more than {limit} per minute; try again later");

    public static Reply TooManyConnectionsFromClient(string hostname) => R(ReplyCode.ServiceNotAvailable, 4, 7, 0, $"{hostname} Too many connections from your address; try again later");

    /// <summary>SPEC R17: an HTTP verb as the first command is an open-proxy probe.</summary>
    public static Reply RejectingOpenProxy(string hostname, string client) => R(ReplyCode.ServiceNotAvailable, 4, 7, 0, $"{hostname} Rejecting open proxy {client}");
}
