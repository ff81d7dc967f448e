using Gateway.Protocol.Access;

namespace Gateway.Protocol.Policy;

/// <summary>
/// One question for the access map, as <see cref="SessionPolicy"/> asks it. The set is closed: these are
/// sendmail's server-side hooks (SPEC sections 5–8), and <see cref="AccessPolicy.Answer"/> answers each.
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
}
