namespace Gateway.Protocol.Tls;

/// <summary>The client-side values of <c>{verify}</c> (SPEC R41, R20–R24): the verdict on the server's certificate.</summary>
public static class TlsClientVerifyValues
{
    /// <summary>STARTTLS not used: not offered, or refused with 5xx (R20, R22).</summary>
    public const string None = "NONE";

    /// <summary>The server's certificate chains to a trusted CA (R23).</summary>
    public const string Ok = VerifyValues.Ok;

    /// <summary>The server sent no certificate (an anonymous suite); the client role always asks (R41).</summary>
    public const string No = VerifyValues.No;

    /// <summary>The server's certificate did not verify; the handshake went on regardless (R16, R23).</summary>
    public const string Fail = VerifyValues.Fail;

    /// <summary>A 4xx reply to STARTTLS, or local TLS set-up failed (R22).</summary>
    public const string Temp = "TEMP";

    /// <summary>A reply to STARTTLS that is neither 220 nor 4xx/5xx (R22).</summary>
    public const string Protocol = "PROTOCOL";

    /// <summary>The TLS handshake failed; the connection is unusable (R24).</summary>
    public const string Software = "SOFTWARE";

    /// <summary>Read error or timeout while waiting for the STARTTLS reply (R22, undocumented in sendmail).</summary>
    public const string Failure = "FAILURE";

    /// <summary>The clear-text retry after a failed handshake (R27, ≥8.16.1).</summary>
    public const string Clear = "CLEAR";

    /// <summary>The per-session TLS options (tls_clt_features) could not be applied (R21, R66, ≥8.17.1).</summary>
    public const string Config = "CONFIG";

    /// <summary>DANE verification succeeded; counts as verified, like OK (R41, R54).</summary>
    public const string Trusted = "TRUSTED";

    /// <summary>DANE verification failed (R41); tls_rcpt refuses it even without an entry (R55).</summary>
    public const string DaneFail = "DANE_FAIL";

    /// <summary>DANE verification failed temporarily (R41, ≥8.18); tls_rcpt refuses it even without an entry (R55).</summary>
    public const string DaneTemp = "DANE_TEMP";

    /// <summary>DANE requires TLS but the server did not offer STARTTLS (R41, ≥8.18); tls_rcpt refuses it even without an entry (R55).</summary>
    public const string DaneNoTls = "DANE_NOTLS";
}
