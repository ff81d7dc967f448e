namespace Gateway.Protocol.Mail;

/// <summary>RFC 3461 §4.1: when a DSN is wanted for a recipient. Never excludes the others.</summary>
[Flags]
public enum DsnNotify
{
    Unspecified = 0,
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}
