namespace Gateway.Protocol.Policy;

/// <summary>What the relaying client does with a connection after tls_server (SPEC R24). The set is closed.</summary>
public abstract record TlsServerOutcome
{
    private TlsServerOutcome() { }

    /// <summary>tls_server accepts: go on to MAIL on this connection.</summary>
    public sealed record Proceed : TlsServerOutcome
    {
        public static readonly Proceed Instance = new();
    }

    /// <summary>tls_server refuses: send QUIT and close; every recipient of this attempt is deferred or failed by <see cref="Refusal"/>.</summary>
    public sealed record Quit(ClientTlsRefusal Refusal) : TlsServerOutcome;

    /// <summary>
    /// The handshake failed (<c>{verify}</c> SOFTWARE): the TLS state is unusable, so close at once without QUIT; the
    /// recipients are deferred or failed by <see cref="Refusal"/> unless the clear-text retry of R27 applies.
    /// </summary>
    public sealed record Close(ClientTlsRefusal Refusal) : TlsServerOutcome;
}
