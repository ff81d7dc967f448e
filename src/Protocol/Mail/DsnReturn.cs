namespace Gateway.Protocol.Mail;

/// <summary>RFC 3461 §4.3: what a DSN should return of the message.</summary>
public enum DsnReturn
{
    Unspecified,
    Full,
    Headers,
}
