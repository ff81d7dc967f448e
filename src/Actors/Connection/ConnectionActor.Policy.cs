using Akka.Actor;
using Akka.Event;
using Gateway.Actors.Policy;
using Gateway.Protocol.Access;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Session;

namespace Gateway.Actors.Connection;

/// <summary>Asking the PolicyActor by message (no Ask, nothing read meanwhile) and going on with its verdict: tls_client, From:, To: and relaying (SPEC sections 5–8).</summary>
public sealed partial class ConnectionActor
{
    private long NextQuestion() => ++_policyQuestions;

    /// <summary>tls_client on this connection's current TLS facts (R54, R56); a bare CN compares with {client_name}.</summary>
    private PolicyProtocol.CheckTlsClient TlsClientQuestion(string when) => new(
        NextQuestion(),
        new TlsCheckInput(_facts.Verify, _facts.CipherBits, 0, _facts.CnSubject, _facts.CertSubject, _facts.CertIssuer, ClientName),
        ClientName,
        ClientAddr,
        when);

    private void AskPolicy(PolicyProtocol.Question question, Action<PolicyAnswer> then)
    {
        _awaitedAnswer = question.Id;
        _afterPolicy = then;
        _settings.Policy!.Tell(question);
        _askedAt = DateTime.UtcNow;
        if (!_policyTimerSet)
        {
            // One timer for the whole conversation, not one per question (six a session): when it fires it checks
            // the open question's age and sets itself again for the rest.
            _policyTimerSet = true;
            Timers.StartSingleTimer(nameof(PolicyTimeout), PolicyTimeout.Instance, _settings.PolicyTimeout);
        }
    }

    private void PolicyTimerFired()
    {
        _policyTimerSet = false;
        if (_awaitedAnswer < 0)
        {
            return;
        }

        var waited = DateTime.UtcNow - _askedAt;
        if (waited < _settings.PolicyTimeout)
        {
            _policyTimerSet = true;
            Timers.StartSingleTimer(nameof(PolicyTimeout), PolicyTimeout.Instance, _settings.PolicyTimeout - waited);
            return;
        }

        // R50: the map is unavailable: a temporary failure, never an accept by default.
        _log.Warning("{0}: no answer from the access-map policy within {1}", Relay, _settings.PolicyTimeout);
        Answered(new PolicyAnswer(Verdict.Reject(451, "4.3.0", "Temporary system failure. Please try again later.", "policy timeout"), []));
    }

    private void Answered(PolicyAnswer answer)
    {
        var then = _afterPolicy!;
        _afterPolicy = null;
        _awaitedAnswer = -1;
        then(answer);
        foreach (var held in _heldWhileAsking)
        {
            Self.Tell(held);
        }

        _heldWhileAsking.Clear();
    }

    /// <summary>
    /// R11 then From: for MAIL; To: and relaying for RCPT. The verdict goes into the session rules, which check
    /// syntax and sequence first. Then the pump goes on with whatever the client pipelined after the command.
    /// </summary>
    private Step AskPolicyFor(SmtpCommand command)
    {
        switch (command)
        {
            case SmtpCommand.Mail mail:
                AskPolicy(TlsClientQuestion("MAIL"), tls =>
                {
                    if (tls.Verdict.Refuses)
                    {
                        LogAbove(5, "ruleset=tls_client, arg1=MAIL, relay={0}, reject={1}", Relay, tls.Verdict.Reply);
                        Resume(command, tls.Verdict);
                        return;
                    }

                    AskPolicy(new PolicyProtocol.CheckMail(NextQuestion(), mail.ReversePath?.ToString() ?? ""), from => Resume(command, from.Verdict));
                });
                break;
            case SmtpCommand.Rcpt rcpt:
                var domain = rcpt.ForwardPath.Domain;
                var local = domain.Length == 0 || _settings.Session.IsLocal(domain.TrimEnd('.'));
                AskPolicy(
                    new PolicyProtocol.CheckRcpt(NextQuestion(), rcpt.ForwardPath.ToString(), local, _clientMayRelay, _facts.Verify, _facts.CertIssuer, _facts.CertSubject),
                    to => Resume(command, to.Verdict));
                break;
        }

        return Step.Waiting;
    }

    private void Resume(SmtpCommand command, Verdict verdict)
    {
        switch (Execute(SessionRules.Apply(_session, command, _settings.Session, verdict), command))
        {
            case Step.Close:
                Close();
                break;
            default:
                Pump();
                break;
        }
    }
}
