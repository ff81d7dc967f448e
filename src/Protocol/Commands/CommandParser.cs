using Gateway.Protocol.Replies;
using System.Text;

namespace Gateway.Protocol.Commands;

/// <summary>
/// Turns one command line (without CRLF) into an <see cref="SmtpCommand"/>. Never throws on
/// client input: anything unparseable becomes <see cref="SmtpCommand.Invalid"/>.
/// </summary>
public static class CommandParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SmtpCommand Parse(ReadOnlySpan<byte> line)
    {
        // RFC 5321 §4.5.3.1.4: 512 octets per command line; RFC 3461 §5 raises it for MAIL and
        // RCPT so that ENVID, ORCPT and NOTIFY fit. The framer allows the larger limit.
        if (line.Length + 2 > Limits.CommandLine && !StartsWithVerb(line, "MAIL"u8) && !StartsWithVerb(line, "RCPT"u8))
        {
            return new SmtpCommand.Invalid(SmtpReplies.LineTooLong);
        }

        // RFC 6531 allows UTF-8 in MAIL/RCPT; anything that is not UTF-8, or holds a control
        // character other than TAB, is not a command (and NUL is a classic parser attack).
        string text;
        try
        {
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            return new SmtpCommand.Invalid(SmtpReplies.InvalidCharacters);
        }

        foreach (var c in text)
        {
            if ((c < ' ' && c != '\t') || c == '\x7f')
            {
                return new SmtpCommand.Invalid(SmtpReplies.InvalidCharacters);
            }
        }

        return Parse(text);
    }

    private static bool StartsWithVerb(ReadOnlySpan<byte> line, ReadOnlySpan<byte> verb) =>
        line.Length > verb.Length && System.Text.Ascii.EqualsIgnoreCase(line[..verb.Length], verb) && line[verb.Length] == (byte)' ';

    public static SmtpCommand Parse(string line)
    {
        var trimmed = line.TrimStart(' ', '\t');
        var end = trimmed.IndexOfAny([' ', '\t', ':']);
        var verb = (end < 0 ? trimmed : trimmed[..end]).ToUpperInvariant();
        var rest = end < 0 ? "" : trimmed[end..];
        return verb switch
        {
            "HELO" => Hello(rest, ehlo: false),
            "EHLO" => Hello(rest, ehlo: true),
            "MAIL" => MailRcptParser.Mail(rest),
            "RCPT" => MailRcptParser.Rcpt(rest),
            "DATA" => NoArgument(rest, SmtpCommand.Data.Instance),
            "BDAT" => Bdat(rest),
            "RSET" => NoArgument(rest, SmtpCommand.Rset.Instance),
            // RFC 5321 §4.1.1.9: NOOP may carry a string, which is ignored.
            "NOOP" => SmtpCommand.Noop.Instance,
            "QUIT" => NoArgument(rest, SmtpCommand.Quit.Instance),
            "VRFY" => rest.Trim().Length == 0 ? new SmtpCommand.Invalid(SmtpReplies.VrfySyntax) : new SmtpCommand.Vrfy(rest.Trim()),
            "HELP" => SmtpCommand.Help.Instance,
            // SPEC R2/R3 row 1: any argument is refused first, whatever the state.
            "STARTTLS" => rest.Trim(' ', '\t').Length == 0 ? SmtpCommand.StartTls.Instance : new SmtpCommand.Invalid(SmtpReplies.StartTlsSyntax),
            "EXPN" or "TURN" or "ETRN" or "AUTH" or "SEND" or "SOML" or "SAML" => new SmtpCommand.NotImplemented(verb),
            _ => Other(verb, rest),
        };
    }

    private static SmtpCommand Other(string verb, string rest) =>
        verb is "GET" or "POST" or "CONNECT" or "USER" && rest.Length > 0 && rest[0] is ' ' or '\t'
            ? new SmtpCommand.HttpLike(verb)
            : new SmtpCommand.Invalid(SmtpReplies.CommandUnrecognized);

    private static SmtpCommand NoArgument(string rest, SmtpCommand command) =>
        rest.Trim(' ', '\t').Length == 0 ? command : new SmtpCommand.Invalid(SmtpReplies.NoParametersAllowed);

    private static SmtpCommand Hello(string rest, bool ehlo)
    {
        // RFC 5321 §4.1.1.1: the argument is a domain or an address literal. Clients in the wild
        // send odd names, so only emptiness and embedded blanks are refused, as Postfix does.
        var domain = rest.Trim(' ', '\t');
        if (domain.Length == 0 || domain.Length > Limits.Domain || domain.AsSpan().IndexOfAny(' ', '\t') >= 0)
        {
            return new SmtpCommand.Invalid(SmtpReplies.HeloSyntax);
        }

        return ehlo ? new SmtpCommand.Ehlo(domain) : new SmtpCommand.Helo(domain);
    }

    private static SmtpCommand Bdat(string rest)
    {
        // RFC 3030 §3: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CR LF
        var parts = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2
            || parts[0].Length > 18
            || !parts[0].All(char.IsAsciiDigit)
            || !long.TryParse(parts[0], out var size))
        {
            return new SmtpCommand.Invalid(SmtpReplies.BdatSyntax);
        }

        if (parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase))
        {
            return new SmtpCommand.Invalid(SmtpReplies.BdatSyntax);
        }

        return new SmtpCommand.Bdat(size, Last: parts.Length == 2);
    }
}
