using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Commands;

/// <summary>MAIL FROM and RCPT TO: the path, then the ESMTP parameters (RFC 5321 §4.1.1.2–3).</summary>
internal static class MailRcptParser
{
    public static SmtpCommand Mail(string rest)
    {
        if (!TrySplit(rest, "FROM:", out var path, out var parameters))
        {
            return new SmtpCommand.Invalid(SmtpReplies.MailSyntax);
        }

        if (path == "<>")
        {
            return ParameterParser.Mail(parameters, out var nullSenderParams) is { } bad
                ? new SmtpCommand.Invalid(bad)
                : new SmtpCommand.Mail(null, nullSenderParams);
        }

        if (!PathParser.TryParse(path, out var mailbox, out var why) || mailbox.Domain.Length == 0)
        {
            return new SmtpCommand.Invalid(SmtpReplies.BadSenderSyntax(why ?? "domain required"));
        }

        if (ParameterParser.Mail(parameters, out var mailParams) is { } error)
        {
            return new SmtpCommand.Invalid(error);
        }

        return mailbox.IsInternational && !mailParams.SmtpUtf8
            ? new SmtpCommand.Invalid(SmtpReplies.NonAsciiAddress)
            : new SmtpCommand.Mail(mailbox, mailParams);
    }

    public static SmtpCommand Rcpt(string rest)
    {
        if (!TrySplit(rest, "TO:", out var path, out var parameters))
        {
            return new SmtpCommand.Invalid(SmtpReplies.RcptSyntax);
        }

        if (!PathParser.TryParse(path, out var mailbox, out var why))
        {
            return new SmtpCommand.Invalid(SmtpReplies.BadRecipientSyntax(why!));
        }

        // RFC 5321 §4.1.1.3: a bare "Postmaster" (any case) must be accepted without a domain.
        if (mailbox.Domain.Length == 0 && !mailbox.LocalPart.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
        {
            return new SmtpCommand.Invalid(SmtpReplies.BadRecipientSyntax("domain required"));
        }

        return ParameterParser.Rcpt(parameters, out var rcptParams) is { } error
            ? new SmtpCommand.Invalid(error)
            : new SmtpCommand.Rcpt(mailbox, rcptParams);
    }

    /// <summary>
    /// Splits " FROM:&lt;path&gt; params". A blank between the colon and the path is tolerated,
    /// as Postfix and sendmail do, because common clients send it.
    /// </summary>
    private static bool TrySplit(string rest, string keyword, out string path, out string parameters)
    {
        path = parameters = "";
        var text = rest.TrimStart(' ', '\t');
        if (!text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        text = text[keyword.Length..].TrimStart(' ', '\t');
        if (!text.StartsWith('<'))
        {
            return false;
        }

        var close = ClosingBracket(text);
        if (close < 0)
        {
            return false;
        }

        path = text[..(close + 1)];
        var tail = text[(close + 1)..];
        if (tail.Length > 0 && tail[0] is not (' ' or '\t'))
        {
            return false;
        }

        parameters = tail.Trim(' ', '\t');
        return true;
    }

    /// <summary>The '>' that ends the path, skipping any inside a quoted local part.</summary>
    private static int ClosingBracket(string text)
    {
        var quoted = false;
        for (var i = 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '>' when !quoted:
                    return i;
            }
        }

        return -1;
    }
}
