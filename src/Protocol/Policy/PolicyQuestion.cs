using Gateway.Protocol.Access;

namespace Gateway.Protocol.Policy;

/// <summary>
/// One question for the access map: the server-side hooks as <see cref="SessionPolicy"/> asks them, and the
/// client-side (relaying) hooks the outbound connection asks. The set is closed: these are sendmail's hooks
/// (SPEC sections 2 and 5–8), and <see cref="AccessPolicy.Answer"/> answers each.
/// </summary>
public abstract record PolicyQuestion
{
    private PolicyQuestion() { }

    /// <summary>The hook's name as <c>gateway map test</c> prints it.</summary>
    public abstract string Hook { get; }

    /// <summary>Classic <c>Connect:</c> at connection start.</summary>
    public sealed record Connect(string ClientName, string ClientAddr) : PolicyQuestion
    {
        public override string Hook => "Connect";
    }

    /// <summary>R63: which features (STARTTLS, the certificate request) this client gets.</summary>
    public sealed record SrvFeatures(string ClientName, string ClientAddr) : PolicyQuestion
    {
        public override string Hook => "Srv_Features";
    }

    /// <summary>tls_client after the handshake (<paramref name="When"/> STARTTLS, R10) and at every MAIL (R11).</summary>
    public sealed record TlsClient(TlsCheckInput Input, string ClientName, string ClientAddr, string When) : PolicyQuestion
    {
        public override string Hook => $"tls_client ({When})";
    }

    /// <summary><c>From:</c> for the envelope sender ("" for the null sender).</summary>
    public sealed record From(string Sender) : PolicyQuestion
    {
        public override string Hook => "From";
    }

    /// <summary>A recipient: <c>To:</c>, then relaying (RelayTLS R60, <c>Connect:</c> RELAY, <c>To:</c> RELAY) unless local.</summary>
    public sealed record To(string Recipient, bool Local, bool ClientMayRelay, string Verify, string CertIssuer, string CertSubject) : PolicyQuestion
    {
        public override string Hook => "To / relaying";
    }

    /// <summary>
    /// Client role, R20/R64: whether to send STARTTLS to this server (<c>Try_TLS:</c> NO says not to). Names as
    /// <c>{server_name}</c> (the MX host name) and <c>{server_addr}</c> (<c>203.0.113.5</c>, <c>IPv6:…</c>).
    /// </summary>
    public sealed record TryTls(string ServerName, string ServerAddr) : PolicyQuestion
    {
        public override string Hook => "Try_TLS";
    }

    /// <summary>Client role, R51/R64: the feature letters for this server (<c>D</c> no DANE, <c>M</c> no MTA-STS); the name only (R55).</summary>
    public sealed record CltFeatures(string ServerName, string ServerAddr) : PolicyQuestion
    {
        public override string Hook => "Clt_Features";
    }

    /// <summary>
    /// Client role, R24: tls_server after the STARTTLS decision or attempt, on every connection, whatever its
    /// outcome. A bare <c>+CN</c> is compared with <paramref name="ServerName"/> (<c>{server_name}</c>).
    /// </summary>
    public sealed record TlsServer(TlsCheckInput Input, string ServerName, string ServerAddr) : PolicyQuestion
    {
        public override string Hook => "tls_server";
    }

    /// <summary>
    /// Client role, R26: tls_rcpt before each RCPT, against the current outbound connection's TLS facts (R56);
    /// <see cref="TlsCheckInput.PeerName"/> is that connection's <c>{server_name}</c>, for a bare <c>+CN</c>.
    /// </summary>
    public sealed record TlsRcpt(TlsCheckInput Input, string Recipient) : PolicyQuestion
    {
        public override string Hook => "tls_rcpt";
    }
}
