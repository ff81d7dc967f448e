namespace Gateway.Protocol.Proxy;

/// <summary>What <see cref="ProxyHeaderParser"/> made of the first bytes of a connection. Closed set.</summary>
public abstract record ProxyParseResult
{
    private ProxyParseResult() { }

    /// <summary>The bytes so far are a valid beginning of a header; call again with them and the next ones.</summary>
    public sealed record NeedMore : ProxyParseResult
    {
        public static readonly NeedMore Instance = new();
    }

    /// <summary>A whole header; the first <see cref="Consumed"/> bytes were it, the rest belong to SMTP.</summary>
    public sealed record Done(ProxyHeader Header, int Consumed) : ProxyParseResult;

    /// <summary>Not a valid header: close the connection and log <see cref="Reason"/> (§2.1: abort at once).</summary>
    public sealed record Refused(string Reason) : ProxyParseResult;
}
