using Gateway.Protocol.Policy;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Access;

/// <summary>
/// The hooks of sendmail's access map, as pure functions of a map snapshot: each returns the verdict and every
/// lookup made. The PolicyActor caches them; <c>gateway map test</c> prints them. This file holds the server-side
/// hooks; AccessPolicy.Client.cs the client-side (relaying) ones.
/// </summary>
public static partial class AccessPolicy
{
    /// <summary>The answer to one question, uncached (<c>gateway map test</c> asks here; the PolicyActor caches the same functions).</summary>
    public static PolicyAnswer Answer(AccessMap map, AccessPolicySettings settings, PolicyQuestion question) => question switch
    {
        PolicyQuestion.Connect c => Connect(map, c.ClientName, c.ClientAddr),
        PolicyQuestion.SrvFeatures f => SrvFeatures(map, f.ClientName, f.ClientAddr),
        PolicyQuestion.TlsClient t => TlsClient(map, settings, t.Input, t.ClientName, t.ClientAddr, t.When),
        PolicyQuestion.From m => Mail(map, m.Sender),
        PolicyQuestion.To r => Rcpt(map, settings, r.Recipient, r.Local, r.ClientMayRelay, r.Verify, r.CertIssuer, r.CertSubject),
        PolicyQuestion.TryTls y => TryTls(map, y.ServerName, y.ServerAddr),
        PolicyQuestion.CltFeatures k => CltFeatures(map, k.ServerName),
        PolicyQuestion.TlsServer s => TlsServer(map, settings, s.Input, s.ServerName, s.ServerAddr),
        PolicyQuestion.TlsRcpt p => TlsRcpt(map, settings, p.Input, p.Recipient),
        _ => throw new ArgumentOutOfRangeException(nameof(question), question?.GetType().Name, "unknown policy question"),
    };

    /// <summary>
    /// <c>Connect:</c> (classic access_db): REJECT or ERROR refuses the session's commands, DISCARD accepts and
    /// drops its mail, RELAY lets the client relay, OK ends the connect checks.
    /// </summary>
    public static PolicyAnswer Connect(AccessMap map, string clientName, string clientAddr)
    {
        var lookup = LookupResult.In(map, LookupOrder.Connect(clientName, clientAddr));
        return new PolicyAnswer(Classic(lookup), [lookup]);
    }

    /// <summary>R63: <c>Srv_Features:</c> with R55's host lookup; the features the client is offered.</summary>
    public static PolicyAnswer SrvFeatures(AccessMap map, string clientName, string clientAddr)
    {
        var lookup = LookupResult.In(map, LookupOrder.Host("Srv_Features", clientName, clientAddr));
        var features = lookup.Value is { } value ? ServerFeatures.Parse(value, out _) : ServerFeatures.Default;
        return new PolicyAnswer(Verdict.Continue with { Reason = lookup.MatchedKey ?? "no entry" }, [lookup]) { Features = features };
    }

    /// <summary>
    /// tls_client (R54 with <c>TLS_Clt:</c>), after the handshake (<paramref name="when"/> STARTTLS, R10) and at
    /// every MAIL (R11). <paramref name="input"/>'s PeerName is <c>{client_name}</c>, for a bare CN.
    /// </summary>
    public static PolicyAnswer TlsClient(AccessMap map, AccessPolicySettings settings, TlsCheckInput input, string clientName, string clientAddr, string when) =>
        TlsClient(LookupResult.In(map, LookupOrder.Host("TLS_Clt", clientName, clientAddr)), map, settings, input, when);

    /// <summary>tls_client with the <c>TLS_Clt:</c> lookup already made (the PolicyActor caches it per client).</summary>
    public static PolicyAnswer TlsClient(LookupResult lookup, AccessMap map, AccessPolicySettings settings, TlsCheckInput input, string when)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(settings);
        var verdict = TlsRequirementCheck.Evaluate(input, lookup.Value, settings.ReplyCodes, map.Find);
        return new PolicyAnswer(verdict with { Reason = $"tls_client ({when}): {lookup.MatchedKey ?? "no entry"}, {verdict.Reason}" }, [lookup]);
    }

    /// <summary><c>From:</c> for the envelope sender (empty for the null sender).</summary>
    public static PolicyAnswer Mail(AccessMap map, string sender)
    {
        var lookup = LookupResult.In(map, LookupOrder.Envelope("From", sender));
        return new PolicyAnswer(Classic(lookup), [lookup]);
    }

    /// <summary>
    /// A recipient: a refusing <c>To:</c> entry first; then, for a domain that is not local, relaying must be
    /// granted by the client's certificate (RelayTLS, R60), by the client (<c>Connect:</c> RELAY) or by the
    /// domain (<c>To:</c> RELAY); otherwise <c>550 5.7.1 &lt;rcpt&gt;... Relaying denied</c>.
    /// </summary>
    public static PolicyAnswer Rcpt(
        AccessMap map, AccessPolicySettings settings, string recipient, bool local, bool clientMayRelay, string verify, string certIssuer, string certSubject)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var to = LookupResult.In(map, LookupOrder.Envelope("To", recipient));
        var classic = Classic(to);
        if (classic.Kind is VerdictKind.Reject or VerdictKind.Discard)
        {
            return new PolicyAnswer(classic, [to]);
        }

        if (local)
        {
            return new PolicyAnswer(Verdict.Continue with { Reason = "local domain" }, [to]);
        }

        var (relayTls, lookups) = RelayTls.Check(map, verify, certIssuer, certSubject, settings.IssuerRegex, settings.SubjectRegex);
        IReadOnlyList<LookupResult> all = [to, .. lookups];
        if (relayTls.Kind == VerdictKind.Relay)
        {
            return new PolicyAnswer(relayTls, all);
        }

        if (clientMayRelay)
        {
            return new PolicyAnswer(new Verdict(VerdictKind.Relay, Reason: "Connect: RELAY for this client"), all);
        }

        if (classic.Kind == VerdictKind.Relay)
        {
            return new PolicyAnswer(classic, all);
        }

        // The cached verdict carries the plain wording; the session words it after the client's reverse lookup (RelayDenied).
        return new PolicyAnswer(Verdict.Reject(SmtpReplies.RelayingDenied(recipient), relayTls.Reason) with { RelayDenied = true }, all);
    }

    private static Verdict Classic(LookupResult lookup)
    {
        if (lookup.Value is not { } value)
        {
            return Verdict.Continue with { Reason = "no entry" };
        }

        // Values were checked at load (AccessValues); an unreadable one decides nothing.
        var verdict = AccessAction.Parse(value, out _) ?? Verdict.Continue;
        return verdict with { Reason = $"{lookup.MatchedKey} {value}" };
    }
}
