namespace Gateway.Protocol.Session;

/// <summary>
/// sendmail's <c>{client_resolve}</c>: how the client's reverse lookup came out. <see cref="None"/> when no lookup
/// was made (Dns:ReverseLookup=false); the macro is then empty.
/// </summary>
public enum ClientResolve
{
    None,

    /// <summary>A PTR name whose forward lookup includes the client's address.</summary>
    Ok,

    /// <summary>No PTR record (or an unusable one).</summary>
    Fail,

    /// <summary>A PTR name whose forward lookup does not include the client's address.</summary>
    Forged,

    /// <summary>The resolver could not answer in time: a temporary failure.</summary>
    Temp,
}

public static class ClientResolveMacro
{
    /// <summary>The macro's value, as sendmail's rulesets test it: OK, FAIL, FORGED, TEMP.</summary>
    public static string Value(this ClientResolve resolve) => resolve switch
    {
        ClientResolve.Ok => "OK",
        ClientResolve.Fail => "FAIL",
        ClientResolve.Forged => "FORGED",
        ClientResolve.Temp => "TEMP",
        _ => "",
    };
}
