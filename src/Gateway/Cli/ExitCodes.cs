namespace Gateway.Cli;

/// <summary>sysexits.h codes, as sendmail and Postfix use them.</summary>
internal static class ExitCodes
{
    public const int Usage = 64;

    /// <summary>EX_DATAERR: the input (a map file) is not valid.</summary>
    public const int DataError = 65;
    public const int Unavailable = 69;

    /// <summary>EX_IOERR: the spool cannot be opened (locked by another process, damaged).</summary>
    public const int IoError = 74;
    public const int Software = 70;
    public const int NoPermission = 77;
    public const int Config = 78;
}
