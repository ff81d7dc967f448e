namespace Gateway.Protocol;

/// <summary>The size limits of RFC 5321 §4.5.3.1, one constant each, and the defaults built on them.</summary>
public static class Limits
{
    /// <summary>RFC 5321 §4.5.3.1.1: a local part is at most 64 octets.</summary>
    public const int LocalPart = 64;

    /// <summary>RFC 5321 §4.5.3.1.2: a domain is at most 255 octets.</summary>
    public const int Domain = 255;

    /// <summary>RFC 5321 §4.5.3.1.3: a reverse or forward path is at most 256 octets, brackets included.</summary>
    public const int Path = 256;

    /// <summary>RFC 5321 §4.5.3.1.4: a command line is at most 512 octets, CRLF included.</summary>
    public const int CommandLine = 512;

    /// <summary>
    /// RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets, CRLF included. Extensions that
    /// add MAIL/RCPT parameters may raise the command line limit (RFC 5321 §4.5.3.1.4); SIZE, BODY,
    /// SMTPUTF8, RET, ENVID, NOTIFY and ORCPT together fit in this.
    /// </summary>
    public const int TextLine = 1000;

    /// <summary>RFC 3461 §5: MAIL and RCPT lines may be up to 1000 octets longer, for the DSN parameters.</summary>
    public const int CommandLineWithParameters = CommandLine + 1000;

    /// <summary>RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients per transaction.</summary>
    public const int MinimumRecipients = 100;

    /// <summary>RFC 5321 §4.5.3.2.7: a server should wait at least 5 minutes for the next command.</summary>
    public static readonly TimeSpan MinimumIdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>sendmail's MAXBADCOMMANDS: bad commands tolerated before 421 and close.</summary>
    public const int DefaultMaxBadCommands = 25;

    /// <summary>RFC 3461 §4.2: ENVID is at most 100 characters.</summary>
    public const int EnvId = 100;

    /// <summary>RFC 3461 §4.2: ORCPT is at most 500 characters.</summary>
    public const int Orcpt = 500;
}
