using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Commands;

/// <summary>A parsed client command. The set is closed: only the cases nested here exist.</summary>
public abstract record SmtpCommand
{
    private SmtpCommand() { }

    public sealed record Helo(string Domain) : SmtpCommand;

    public sealed record Ehlo(string Domain) : SmtpCommand;

    /// <summary>MAIL FROM; <paramref name="ReversePath"/> is null for the null sender &lt;&gt;.</summary>
    public sealed record Mail(Mailbox? ReversePath, MailParameters Parameters) : SmtpCommand;

    public sealed record Rcpt(Mailbox ForwardPath, RcptParameters Parameters) : SmtpCommand;

    public sealed record Data : SmtpCommand
    {
        public static readonly Data Instance = new();
    }

    /// <summary>RFC 3030: exactly <paramref name="Size"/> octets of content follow the command line.</summary>
    public sealed record Bdat(long Size, bool Last) : SmtpCommand;

    public sealed record Rset : SmtpCommand
    {
        public static readonly Rset Instance = new();
    }

    public sealed record Noop : SmtpCommand
    {
        public static readonly Noop Instance = new();
    }

    public sealed record Quit : SmtpCommand
    {
        public static readonly Quit Instance = new();
    }

    public sealed record Vrfy(string Argument) : SmtpCommand;

    public sealed record Help : SmtpCommand
    {
        public static readonly Help Instance = new();
    }

    public sealed record StartTls : SmtpCommand
    {
        public static readonly StartTls Instance = new();
    }

    /// <summary>A verb we know but do not offer (EXPN, TURN, ETRN, AUTH before it exists).</summary>
    public sealed record NotImplemented(string Verb) : SmtpCommand;

    /// <summary>SPEC R17: GET, POST, CONNECT or USER followed by white space.</summary>
    public sealed record HttpLike(string Verb) : SmtpCommand;

    /// <summary>The line was not a valid command; <see cref="Reply"/> says what to answer.</summary>
    public sealed record Invalid(Reply Reply) : SmtpCommand;
}
