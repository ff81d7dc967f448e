namespace Gateway.Protocol.Policy;

/// <summary>What the relaying client does with one recipient after tls_rcpt (SPEC R26). The set is closed.</summary>
public abstract record TlsRcptOutcome
{
    private TlsRcptOutcome() { }

    /// <summary>tls_rcpt accepts: send the RCPT.</summary>
    public sealed record SendRcpt : TlsRcptOutcome
    {
        public static readonly SendRcpt Instance = new();
    }

    /// <summary>
    /// tls_rcpt refuses: the RCPT is not sent and this recipient alone is deferred (4xx) or failed (5xx) by
    /// <see cref="Refusal"/>; the other recipients of the transaction carry on.
    /// </summary>
    public sealed record SkipRcpt(ClientTlsRefusal Refusal) : TlsRcptOutcome;
}
