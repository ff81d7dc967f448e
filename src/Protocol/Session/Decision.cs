using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Session;

/// <summary>The outcome of one command: the reply to send (or to send later), the new state, the next step.</summary>
public sealed record Decision(Reply? Reply, SessionState State, SessionAction Action = SessionAction.None);
