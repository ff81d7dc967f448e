using System.Net;
using Gateway.Configuration;
using Gateway.Protocol.Access;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Policy;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Cli;

/// <summary>
/// The trace behind <c>gateway map test</c>: a session played through the same pure steps the server takes
/// (<see cref="SessionPolicy"/> for the order of the access-map checks and what each verdict changes,
/// <see cref="SessionRules"/> for the replies), answered by <see cref="AccessPolicy.Answer"/> from the map. So the
/// trace shows each hook the server would ask, in its order, and the reply the server would send; a hook the server
/// would not ask (restricted mode, a refused MAIL) is shown as not asked, with the reply given instead.
/// </summary>
internal static class MapTrace
{
    /// <summary>The name the simulated client gives in EHLO; it is not part of any access-map key.</summary>
    private const string ClientHelo = "client.invalid";

    public static MapTestReport Explain(MapTestQuery query, GatewaySettings settings, AccessMap map, string? mapFile)
    {
        var host = query.Client;
        var session = new SessionSettings(
            settings.Hostname, settings.MaxMessageSize, settings.MaxRecipients, settings.MaxBadCommands, settings.LocalDomains, StartTlsOffered: true);
        // Without --verify there is no STARTTLS in the session, so none of the TLS macros can be set, whatever was given.
        var tls = query.Verify.Length > 0
            ? new TlsCheckInput(query.Verify, query.CipherBits, query.AuthSsf, query.CnSubject, query.CertSubject, query.CertIssuer, host.Name)
            : Trace.ClearText(host.Name);
        var trace = new Trace(map, settings.Access.Policy, new PolicyContext(host.Name, host.Addr, tls, session), query.From is not null);

        var state = new SessionState(host.Address.Unmapped().ToString()) { Host = host };
        state = trace.Run(PolicyCheck.Opening.Instance, state).State;
        state = SessionRules.Apply(state, CommandParser.Parse($"EHLO {ClientHelo}"), session).State;
        if (query.Verify.Length > 0)
        {
            // {verify} given: the client did STARTTLS, if the server let it (Srv_Features S hides it, R63).
            var starttls = SessionRules.Apply(state, CommandParser.Parse("STARTTLS"), session);
            trace.Replied("STARTTLS", starttls.Reply);
            if (starttls.Action == SessionAction.StartTls)
            {
                state = trace.Run(PolicyCheck.Handshake.Instance, SessionRules.AfterTls(state)).State;
                state = SessionRules.Apply(state, CommandParser.Parse($"EHLO {ClientHelo}"), session).State;
            }
            else
            {
                trace.NotAsked("STARTTLS", starttls.Reply, state.Restricted is not null
                    ? "the session is in restricted mode (R10); it stays in clear text"
                    : "Srv_Features S: STARTTLS is not offered to this client (R63); the session stays in clear text");
                trace = trace.InClearText();
            }
        }

        var mail = $"MAIL FROM:<{(query.From is { } f ? f.Trim('<', '>') : "")}>";
        var afterMail = trace.Command(CommandParser.Parse(mail), state, "MAIL");
        if (query.From is not null)
        {
            trace.Replied(mail, afterMail.Reply);
        }

        if (query.Rcpt is { } rcpt)
        {
            var command = $"RCPT TO:<{rcpt.Trim('<', '>')}>";
            trace.Replied(command, trace.Command(CommandParser.Parse(command), afterMail.State, "RCPT").Reply);
        }

        return new MapTestReport(
            mapFile ?? "(none)", map.Count, StyleName(settings.Access.Policy.ReplyCodes), host.Name, host.Addr, host.Resolve.Value(), query.Verify, tls.CipherBits, trace.Hooks, trace.Session);
    }

    /// <summary>One simulated session's hooks, in the order asked.</summary>
    private sealed class Trace(AccessMap map, AccessPolicySettings policy, PolicyContext context, bool senderGiven)
    {
        public List<MapTestHook> Hooks { get; private init; } = [];

        public List<MapTestExchange> Session { get; private init; } = [];

        public void Replied(string command, Reply? reply) => Session.Add(new MapTestExchange(command, reply?.ToString() ?? "(no reply)"));

        /// <summary>The same trace for a client that stayed in clear text: no TLS macros.</summary>
        /// <summary>The TLS macros of a session in clear text: all empty, no bits (R12).</summary>
        public static TlsCheckInput ClearText(string clientName) => new("", 0, 0, "", "", "", clientName);

        public Trace InClearText() => new(map, policy, context with { Tls = ClearText(context.ClientName) }, senderGiven)
        {
            Hooks = Hooks,
            Session = Session,
        };

        /// <summary>Runs one check to its end, answering each question from the map; null decision when nothing was asked.</summary>
        public (SessionState State, Decision? Decision, bool Asked) Run(PolicyCheck check, SessionState state)
        {
            if (SessionPolicy.Begin(check, state, context) is not { } first)
            {
                return (state, null, false);
            }

            PolicyStep step = first;
            while (step is PolicyStep.Ask ask)
            {
                if (ask.Question is PolicyQuestion.From && !senderGiven && check is PolicyCheck.Mail mail)
                {
                    // No --from: the sender check is not traced; the transaction goes on as if From: had no entry.
                    return (ask.State, SessionRules.Apply(ask.State, mail.Command, context.Settings, Verdict.Continue), true);
                }

                var answer = AccessPolicy.Answer(map, policy, ask.Question);
                step = SessionPolicy.Next(check, ask.Question, answer, ask.State, context);
                var reply = step is PolicyStep.Done { Decision.Reply: { } sent } && answer.Verdict.Refuses ? sent.ToString() : null;
                Hooks.Add(Hook(ask.Question, answer, reply));
            }

            var done = (PolicyStep.Done)step;
            return (done.State, done.Decision, true);
        }

        /// <summary>MAIL or RCPT as the server takes it: asked when it can succeed, else answered by the session rules alone.</summary>
        public (SessionState State, Reply? Reply) Command(SmtpCommand command, SessionState state, string verb)
        {
            PolicyCheck? check = command switch
            {
                SmtpCommand.Mail m => new PolicyCheck.Mail(m),
                SmtpCommand.Rcpt r => new PolicyCheck.Rcpt(r),
                _ => null,
            };
            var (after, decision, asked) = check is null ? (state, null, false) : Run(check, state);
            if (!asked)
            {
                decision = SessionRules.Apply(state, command, context.Settings);
                NotAsked(verb, decision.Reply, state.Restricted is not null
                    ? "the session is in restricted mode (R10): the server answers without asking the map"
                    : "the server answers without asking the map");
            }

            return (decision?.State ?? after, decision?.Reply);
        }

        public void NotAsked(string name, Reply? reply, string reason) =>
            Hooks.Add(new MapTestHook(name, [], "not asked", reply?.ToString() ?? "", reason, null));
    }

    /// <summary>The name of <c>Access:ReplyCodes</c>' value, as the report's first line gives it.</summary>
    public static string StyleName(ReplyCodeStyle style) => style switch
    {
        ReplyCodeStyle.Rfc => "rfc",
        ReplyCodeStyle.SendmailPermErr => "sendmail-perm-err",
        _ => "sendmail",
    };

    /// <summary>One hook as the report shows it; <paramref name="reply"/> is the reply actually sent, when it differs from the verdict's.</summary>
    public static MapTestHook Hook(PolicyQuestion question, PolicyAnswer answer, string? reply)
    {
        var features = question switch
        {
            PolicyQuestion.SrvFeatures =>
                $"STARTTLS {Feature(answer.Features.OfferStartTls, "offered", "not offered")}, client certificate {Feature(answer.Features.RequestClientCertificate, "requested", "not requested")}",
            PolicyQuestion.CltFeatures =>
                $"DANE {Feature(answer.ClientFeatures.UseDane, "on", "off")}, MTA-STS {Feature(answer.ClientFeatures.UseMtaSts, "on", "off")}",
            PolicyQuestion.TryTls => answer.TryTls ? "STARTTLS tried when offered" : "STARTTLS not tried",
            _ => null,
        };
        return new MapTestHook(
            question.Hook,
            [.. answer.Lookups.Select(l => new MapTestLookup(l.Tried, l.MatchedKey, l.Value))],
            answer.Verdict.Kind switch
            {
                // "Continue" is the engine's word; for an administrator it means this check does not object.
                VerdictKind.Continue => "pass",
                var kind => kind.ToString().ToUpperInvariant(),
            },
            reply ?? answer.Verdict.Reply,
            answer.Verdict.Reason,
            features);
    }

    private static string Feature(bool? on, string yes, string no) => on switch
    {
        true => yes,
        false => no,
        null => "as configured",
    };
}
