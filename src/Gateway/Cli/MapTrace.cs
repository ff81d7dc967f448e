using Gateway.Configuration;
using Gateway.Protocol.Access;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Cli;

/// <summary>The trace behind <c>gateway map test</c>: each hook the session asks, its lookups and its verdict.</summary>
internal static class MapTrace
{
    public static MapTestReport Explain(MapTestQuery query, GatewaySettings settings, AccessMap map, string? mapFile)
    {
        var policy = settings.Access.Policy;
        var host = query.Client;
        var clientAddr = host.Addr;
        var clientName = host.Name;
        var verify = query.Verify;
        var input = new TlsCheckInput(verify, query.CipherBits, query.AuthSsf, query.CnSubject, query.CertSubject, query.CertIssuer, clientName);

        var connect = AccessPolicy.Connect(map, clientName, clientAddr);
        var hooks = new List<MapTestHook>
        {
            Hook("Connect", connect),
            Hook("Srv_Features", AccessPolicy.SrvFeatures(map, clientName, clientAddr)),
            Hook(verify.Length == 0 ? "tls_client (MAIL)" : "tls_client (STARTTLS, MAIL)", AccessPolicy.TlsClient(map, policy, input, clientName, clientAddr, verify.Length == 0 ? "MAIL" : "STARTTLS")),
        };
        if (query.From is { } from)
        {
            hooks.Add(Hook("From", AccessPolicy.Mail(map, from == "<>" ? "" : from.Trim('<', '>'))));
        }

        if (query.Rcpt is { } rcpt)
        {
            var recipient = rcpt.Trim('<', '>');
            var domain = recipient.Contains('@', StringComparison.Ordinal) ? recipient[(recipient.LastIndexOf('@') + 1)..] : "";
            var local = domain.Length == 0 || settings.LocalDomains.Contains(domain.TrimEnd('.'));
            var relaying = AccessPolicy.Rcpt(map, policy, recipient, local, connect.Verdict.Kind == VerdictKind.Relay, verify, input.CertIssuer, input.CertSubject);

            // The session words "Relaying denied" after the client's reverse lookup; show the reply it would send.
            hooks.Add(Hook("To / relaying", relaying, relaying.Verdict.RelayDenied ? SmtpReplies.RelayingDenied(recipient, host).ToString() : null));
        }

        return new MapTestReport(
            mapFile ?? "(none)", map.Count, policy.ReplyCodes switch
            {
                ReplyCodeStyle.Rfc => "rfc",
                ReplyCodeStyle.SendmailPermErr => "sendmail-perm-err",
                _ => "sendmail",
            }, clientName, clientAddr, host.Resolve.Value(), verify, input.CipherBits, hooks);
    }

    private static MapTestHook Hook(string name, PolicyAnswer answer, string? reply = null)
    {
        var features = name == "Srv_Features"
            ? $"STARTTLS {Feature(answer.Features.OfferStartTls, "offered", "not offered")}, client certificate {Feature(answer.Features.RequestClientCertificate, "requested", "not requested")}"
            : null;
        return new MapTestHook(
            name,
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
