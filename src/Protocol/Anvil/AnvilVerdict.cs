namespace Gateway.Protocol.Anvil;

/// <summary>What <see cref="ClientAnvil.Admit"/> decided for a new connection.</summary>
public enum AnvilVerdict
{
    /// <summary>Counted; the session goes on.</summary>
    Admitted,

    /// <summary>On Smtp:ClientLimitExceptions: not counted, never refused.</summary>
    Exempt,

    /// <summary>Smtp:MaxConnectionsPerClient sessions are open across the cluster: 421 4.7.0.</summary>
    TooManyConnections,

    /// <summary>Smtp:MaxConnectionRatePerClient sessions began in the last minute across the cluster: 421 4.7.0.</summary>
    TooManyConnectionsPerMinute,
}
