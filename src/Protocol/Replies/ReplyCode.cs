namespace Gateway.Protocol.Replies;

/// <summary>RFC 5321 §4.2.3 reply codes; the values are the numbers on the wire.</summary>
public enum ReplyCode
{
    SystemStatus = 211,
    HelpMessage = 214,
    ServiceReady = 220,
    Closing = 221,
    Ok = 250,
    CannotVerify = 252,
    StartMailInput = 354,
    ServiceNotAvailable = 421,
    MailboxUnavailableTransient = 450,
    LocalError = 451,
    InsufficientStorage = 452,
    TlsNotAvailable = 454,
    SyntaxError = 500,
    ParameterSyntaxError = 501,
    NotImplemented = 502,
    BadSequence = 503,
    ParameterNotImplemented = 504,
    MailboxUnavailable = 550,
    ExceededStorage = 552,
    MailboxNameNotAllowed = 553,
    TransactionFailed = 554,
    ParametersNotRecognized = 555,
}
