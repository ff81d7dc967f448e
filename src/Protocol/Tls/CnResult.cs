namespace Gateway.Protocol.Tls;

/// <summary>The first CN of a DN as raw bytes, or why there is none (SPEC R43).</summary>
public sealed record CnResult(byte[]? Value, CnError Error)
{
    /// <summary>
    /// The <c>{cn_subject}</c>/<c>{cn_issuer}</c> value: the +HEX-encoded CN (R44), or on error the placeholder
    /// sendmail puts into the macro instead (tls.c), so access-map rules see the same text.
    /// </summary>
    public string Macro => Error switch
    {
        CnError.None => HexQuoting.Encode(Value),
        CnError.TooLong => "BadCertificateTooLong",
        CnError.ContainsNul => "BadCertificateContainsNUL",
        _ => "BadCertificateUnknown",
    };

    /// <summary>sendmail's <c>status=</c> text for the log line, null when there is no error.</summary>
    public string? LogStatus => Error switch
    {
        CnError.None => null,
        CnError.TooLong => "CN too long",
        CnError.ContainsNul => "CN contains NUL",
        _ => "failed to extract CN",
    };

    /// <summary>R80: the error is logged when LogLevel is greater than this (8 for a missing CN, else 7).</summary>
    public int LogLevelAbove => Error == CnError.Unknown ? 8 : 7;
}
