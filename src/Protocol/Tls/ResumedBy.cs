namespace Gateway.Protocol.Tls;

/// <summary>How a resumed session was found.</summary>
public enum ResumedBy
{
    Ticket,
    SessionId,
}
