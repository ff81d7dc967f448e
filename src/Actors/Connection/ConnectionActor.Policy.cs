using Akka.Actor;
using Akka.Event;
using Gateway.Actors.Policy;
using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;
using Gateway.Protocol.Session;

namespace Gateway.Actors.Connection;

/// <summary>
/// Asking the PolicyActor by message (no Ask, nothing read meanwhile) and carrying out <see cref="SessionPolicy"/>'s
/// steps: which question comes next and what each verdict changes is decided there, not here (SPEC sections 5–8).
/// </summary>
public sealed partial class ConnectionActor
{
    /// <summary>The open question: what it checks, what it asked, its id (a late answer to an older one is dropped) and when.</summary>
    private sealed record OpenQuestion(long Id, PolicyCheck Check, PolicyQuestion Question, long AskedAt);

    private sealed record PolicyTimeout
    {
        public static readonly PolicyTimeout Instance = new();
    }

    private long _questions;
    private bool _policyTimerArmed;

    private PolicyContext PolicyContext()
    {
        var facts = Facts;
        return new PolicyContext(
            ClientName,
            ClientAddr,
            new TlsCheckInput(facts.Verify, facts.CipherBits, 0, facts.CnSubject, facts.CertSubject, facts.CertIssuer, ClientName),
            _settings.Session);
    }

    /// <summary>Phases Greeting and AwaitingPolicy: the verdict, or the deadline; what the client sends meanwhile waits in the input.</summary>
    private void AwaitingPolicy(object message)
    {
        switch (message)
        {
            case PolicyProtocol.PolicyVerdict v when v.Id == _now.Question?.Id:
                Answered(v.Answer);
                break;
            case Transport.Received r:
                // Pull mode asked for it before the question; kept until the verdict, then framed with the rest.
                PutOffIdleTimeout();
                Keep(r.Data);
                break;
            case IdleTimeout:
                // The wait is the map's, not the client's; the policy timeout bounds it.
                PutOffIdleTimeout();
                break;
            default:
                Common(message);
                break;
        }
    }

    private void Ask(PolicyCheck check, PolicyStep.Ask step, Phase phase)
    {
        var id = ++_questions;
        _now = new Now(phase) { Question = new OpenQuestion(id, check, step.Question, _settings.Clock.GetTimestamp()) };
        if (!_policyTimerArmed)
        {
            // One timer for the whole conversation, not one per question (six a session): when it fires it checks
            // the open question's age and sets itself again for the rest.
            _policyTimerArmed = true;
            Timers.StartSingleTimer(nameof(PolicyTimeout), PolicyTimeout.Instance, _settings.PolicyTimeout);
        }

        // Last: the clock is read and the timer set before anyone can see the question (a test's virtual clock moves on it).
        _settings.Policy!.Tell(new PolicyProtocol.CheckPolicy(id, step.Question));
    }

    private void PolicyTimerFired()
    {
        _policyTimerArmed = false;
        if (_now.Question is not { } open)
        {
            return;
        }

        // Monotonic: a wall clock stepped forward must not time out a question just asked, nor one stepped back
        // hold a session waiting for the step's length.
        var waited = _settings.Clock.GetElapsedTime(open.AskedAt);
        if (waited < _settings.PolicyTimeout)
        {
            _policyTimerArmed = true;
            Timers.StartSingleTimer(nameof(PolicyTimeout), PolicyTimeout.Instance, _settings.PolicyTimeout - waited);
            return;
        }

        // R50: the map is unavailable: a temporary failure, never an accept by default.
        _log.Warning("{0}: no answer from the access-map policy within {1}", _session.Relay, _settings.PolicyTimeout);
        Answered(SessionPolicy.Unanswered);
    }

    /// <summary>SessionPolicy's next step: another question, or the end of the check and the session going on.</summary>
    private void Answered(PolicyAnswer answer)
    {
        var open = _now.Question!;
        var step = SessionPolicy.Next(open.Check, open.Question, answer, _session, PolicyContext());
        _session = step.State;
        if (step.Note is { } note)
        {
            LogAbove(note.LogAbove, "{0}", note.Text);
        }

        if (step is PolicyStep.Ask next)
        {
            Ask(open.Check, next, _now.Phase);
            return;
        }

        var decision = ((PolicyStep.Done)step).Decision;
        switch (open.Check)
        {
            case PolicyCheck.Opening:
                Open();
                break;
            case PolicyCheck.Handshake:
                _now = Now.Commands;
                Pump();
                break;
            case PolicyCheck.Mail { Command: var command }:
                Resume(decision!, command);
                break;
            case PolicyCheck.Rcpt { Command: var command }:
                Resume(decision!, command);
                break;
        }
    }

    /// <summary>MAIL or RCPT decided with the verdict: carry it out, then go on with whatever the client pipelined after it.</summary>
    private void Resume(Decision decision, Protocol.Commands.SmtpCommand command)
    {
        _now = Now.Commands;
        if (Execute(decision, command) == Step.Close)
        {
            Close();
            return;
        }

        Pump();
    }
}
