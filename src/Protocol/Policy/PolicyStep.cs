using Gateway.Protocol.Session;

namespace Gateway.Protocol.Policy;

/// <summary>
/// Where a policy check stands after one verdict: the session as the verdicts so far left it, a log line when a
/// verdict refused, and either the next question (<see cref="Ask"/>) or the end (<see cref="Done"/>).
/// </summary>
public abstract record PolicyStep(SessionState State, PolicyNote? Note)
{
    /// <summary>Ask the access map this next; nothing is read from the client meanwhile.</summary>
    public sealed record Ask(PolicyQuestion Question, SessionState State, PolicyNote? Note = null) : PolicyStep(State, Note);

    /// <summary>
    /// The check is over. For MAIL and RCPT, <paramref name="Decision"/> is the session rules' decision with the
    /// verdict (syntax and sequence first, then the verdict); for the opening and the handshake it is null: the
    /// session goes on (greeting, commands) in <see cref="PolicyStep.State"/>.
    /// </summary>
    public sealed record Done(SessionState State, Decision? Decision, PolicyNote? Note = null) : PolicyStep(State, Note);
}
