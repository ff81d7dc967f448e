namespace Gateway.Protocol.Tls;

/// <summary>The server-side values of <c>{verify}</c> (SPEC R41).</summary>
public static class VerifyValues
{
    /// <summary>No completed STARTTLS in this session (R12).</summary>
    public const string None = "";

    /// <summary>A client certificate was presented and its chain verified.</summary>
    public const string Ok = "OK";

    /// <summary>A client certificate was requested but none was presented.</summary>
    public const string No = "NO";

    /// <summary>No client certificate was requested (R15).</summary>
    public const string Not = "NOT";

    /// <summary>A client certificate was presented but did not verify.</summary>
    public const string Fail = "FAIL";
}
