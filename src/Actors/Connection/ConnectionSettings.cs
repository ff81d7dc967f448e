using Gateway.Protocol.Session;

namespace Gateway.Actors.Connection;

/// <summary>What every connection of a listener shares: the session rules' settings and the timers.</summary>
public sealed record ConnectionSettings(SessionSettings Session, TimeSpan IdleTimeout, string Product);
