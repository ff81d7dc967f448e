using Gateway.Protocol.Access;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Protocol.Policy;

/// <summary>
/// The order of the access-map checks in a session and what each verdict does to it, as pure steps (SPEC sections
/// 5–8): Connect: → Srv_Features → greeting; tls_client at STARTTLS and at MAIL; From: at MAIL; To: and relaying at
/// RCPT. The ConnectionActor and <c>gateway map test</c> both drive it (<see cref="Begin"/>, then <see cref="Next"/>
/// with each answer), so the trace tool cannot disagree with the server. Who answers (the PolicyActor's cache, or
/// <see cref="AccessPolicy.Answer"/> directly) is the driver's business.
/// </summary>
public static class SessionPolicy
{
    /// <summary>R50: the map did not answer in time: a temporary failure, never an accept by default.</summary>
    public static readonly PolicyAnswer Unanswered = new(Verdict.Reject(SmtpReplies.AccessMapUnavailable, "policy timeout"), []);

    /// <summary>The first question of <paramref name="check"/>, or null when there is nothing to ask.</summary>
    public static PolicyStep.Ask? Begin(PolicyCheck check, SessionState state, PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        return check switch
        {
            PolicyCheck.Opening => new(new PolicyQuestion.Connect(context.ClientName, context.ClientAddr), state),
            PolicyCheck.Handshake => new(TlsClient(context, "STARTTLS"), state),

            // Only a MAIL or RCPT that can succeed is worth a question: a sequence error, and any command in
            // restricted mode (R10), is answered at once by the session rules, as sendmail does.
            PolicyCheck.Mail when state is { Restricted: null, HeloName: not null, Transaction: null } => new(TlsClient(context, "MAIL"), state),
            PolicyCheck.Rcpt rcpt when state is { Restricted: null, Transaction.BdatStarted: false } => new(To(rcpt, state, context), state),
            _ => null,
        };
    }

    /// <summary>What the answer to <paramref name="asked"/> changes, and what to ask next.</summary>
    public static PolicyStep Next(PolicyCheck check, PolicyQuestion asked, PolicyAnswer answer, SessionState state, PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        var verdict = answer.Verdict;
        return (asked, check) switch
        {
            (PolicyQuestion.Connect, _) => Connected(verdict, state, context),
            (PolicyQuestion.SrvFeatures, _) => Featured(answer, state),
            (PolicyQuestion.TlsClient, PolicyCheck.Handshake) when verdict.Refuses => new PolicyStep.Done(
                SessionRules.Restrict(state, verdict.ToReply()), null, RefusedTlsClient("STARTTLS", state, verdict)),
            (PolicyQuestion.TlsClient, PolicyCheck.Handshake) => new PolicyStep.Done(state, null),
            (PolicyQuestion.TlsClient, PolicyCheck.Mail mail) when verdict.Refuses => new PolicyStep.Done(
                state, SessionRules.Apply(state, mail.Command, context.Settings, verdict), RefusedTlsClient("MAIL", state, verdict)),
            (PolicyQuestion.TlsClient, PolicyCheck.Mail mail) => new PolicyStep.Ask(new PolicyQuestion.From(mail.Command.ReversePath?.ToString() ?? ""), state),
            (PolicyQuestion.From, PolicyCheck.Mail mail) => new PolicyStep.Done(state, SessionRules.Apply(state, mail.Command, context.Settings, verdict)),
            (PolicyQuestion.To, PolicyCheck.Rcpt rcpt) => new PolicyStep.Done(state, SessionRules.Apply(state, rcpt.Command, context.Settings, verdict)),
            _ => throw new ArgumentException($"{asked.Hook} is not a question of {check.GetType().Name}", nameof(asked)),
        };
    }

    /// <summary>Connect: REJECT/ERROR puts the session in restricted mode from the greeting on; RELAY and DISCARD hold for the session.</summary>
    private static PolicyStep.Ask Connected(Verdict verdict, SessionState state, PolicyContext context)
    {
        var features = new PolicyQuestion.SrvFeatures(context.ClientName, context.ClientAddr);
        return verdict.Kind switch
        {
            VerdictKind.Reject => new(
                features,
                SessionRules.Restrict(state, verdict.ToReply()),
                new PolicyNote(3, $"{state.Relay}: connection refused by the access map: {verdict.Reply} ({verdict.Reason})")),
            VerdictKind.Relay => new(features, state with { Policy = state.Policy with { MayRelay = true } }),
            VerdictKind.Discard => new(features, state with { Policy = state.Policy with { DiscardAll = true } }),
            _ => new(features, state),
        };
    }

    /// <summary>R63: whether STARTTLS is offered and a certificate requested; a map that cannot answer restricts the session.</summary>
    private static PolicyStep.Done Featured(PolicyAnswer answer, SessionState state)
    {
        PolicyNote? note = null;
        if (answer.Verdict.Refuses && state.Restricted is null)
        {
            note = new PolicyNote(4, $"ERROR: srv_features=tempfail, relay={state.Relay}, access temporarily disabled");
            state = SessionRules.Restrict(state, SmtpReplies.SrvFeaturesTempFail);
        }

        var features = answer.Features;
        var policy = state.Policy with
        {
            TlsHidden = state.Policy.TlsHidden || features.OfferStartTls == false,
            RequestClientCert = features.RequestClientCertificate,
        };
        return new PolicyStep.Done(state with { Policy = policy }, null, note);
    }

    private static PolicyNote RefusedTlsClient(string when, SessionState state, Verdict verdict) =>
        new(5, $"ruleset=tls_client, arg1={when}, relay={state.Relay}, reject={verdict.Reply}");

    private static PolicyQuestion.TlsClient TlsClient(PolicyContext context, string when) =>
        new(context.Tls, context.ClientName, context.ClientAddr, when);

    private static PolicyQuestion.To To(PolicyCheck.Rcpt rcpt, SessionState state, PolicyContext context)
    {
        var path = rcpt.Command.ForwardPath;
        return new(path.ToString(), context.Settings.IsLocal(path.Domain), state.Policy.MayRelay, context.Tls.Verify, context.Tls.CertIssuer, context.Tls.CertSubject);
    }
}
