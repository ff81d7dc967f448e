using Gateway.Configuration;
using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;

namespace Gateway.Cli;

/// <summary>
/// The trace behind <c>gateway map test --server-name</c>: the client-side (relaying) hooks in the order the outbound
/// connection asks them (Clt_Features, Try_TLS, tls_server, and with --rcpt tls_rcpt; SPEC R20, R24, R26), answered
/// by <see cref="AccessPolicy.Answer"/> from the map, and what the client then does (<see cref="ClientTlsDecision"/>).
/// </summary>
internal static class MapRelayTrace
{
    public static MapRelayReport Explain(MapRelayQuery query, GatewaySettings settings, AccessMap map, string? mapFile)
    {
        var policy = settings.Access.Policy;
        var hooks = new List<MapTestHook>();
        var actions = new List<MapTestExchange>();
        PolicyAnswer Ask(PolicyQuestion question)
        {
            var answer = AccessPolicy.Answer(map, policy, question);
            hooks.Add(MapTrace.Hook(question, answer, null));
            return answer;
        }

        Ask(new PolicyQuestion.CltFeatures(query.ServerName, query.ServerAddr));
        var tryTls = Ask(new PolicyQuestion.TryTls(query.ServerName, query.ServerAddr)).TryTls;

        // R20: after a Try_TLS veto no STARTTLS is sent, so the connection has no TLS facts, whatever --verify said.
        var input = tryTls
            ? new TlsCheckInput(query.Verify, query.CipherBits, 0, query.CnSubject, query.CertSubject, query.CertIssuer, query.ServerName)
            : new TlsCheckInput("NONE", 0, PeerName: query.ServerName);
        actions.Add(new MapTestExchange("STARTTLS", tryTls ? $"{{verify}}={input.Verify}" : "not sent (Try_TLS NO), {verify}=NONE"));

        var server = Ask(new PolicyQuestion.TlsServer(input, query.ServerName, query.ServerAddr));
        var outcome = ClientTlsDecision.AfterTlsServer(server.Verdict, input.Verify);
        actions.Add(new MapTestExchange("tls_server", outcome switch
        {
            TlsServerOutcome.Quit quit => $"QUIT and close; {Fate(quit.Refusal, "every recipient")}",
            TlsServerOutcome.Close close => $"close without QUIT (the handshake failed); {Fate(close.Refusal, "every recipient")}",
            _ => "go on to MAIL",
        }));

        if (query.Rcpt is { } rcpt)
        {
            var command = $"RCPT TO:<{rcpt.Trim('<', '>')}>";
            if (outcome is TlsServerOutcome.Proceed)
            {
                var answer = Ask(new PolicyQuestion.TlsRcpt(input, rcpt.Trim('<', '>')));
                actions.Add(new MapTestExchange(command, ClientTlsDecision.BeforeRcpt(answer.Verdict) is TlsRcptOutcome.SkipRcpt skip
                    ? $"not sent; {Fate(skip.Refusal, "the recipient")}"
                    : "sent"));
            }
            else
            {
                hooks.Add(new MapTestHook("tls_rcpt", [], "not asked", "", "tls_server ended the connection before any RCPT", null));
                actions.Add(new MapTestExchange(command, "not sent: the connection ended at tls_server"));
            }
        }

        return new MapRelayReport(
            mapFile ?? "(none)", map.Count, MapTrace.StyleName(policy.ReplyCodes), query.ServerName, query.ServerAddr, input.Verify, input.CipherBits, hooks, actions);
    }

    /// <summary>R24, R26: 4xx stays queued with sendmail's "Deferred: …" status; 5xx fails with a delivery report.</summary>
    private static string Fate(ClientTlsRefusal refusal, string who) => refusal.Permanent
        ? $"{who} failed, delivery report status {refusal.Status}: {refusal.Diagnostic}"
        : $"{who} stays queued: {refusal.QueueStatus}";
}
