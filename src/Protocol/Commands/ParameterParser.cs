using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Commands;

/// <summary>
/// ESMTP parameters of MAIL and RCPT (RFC 5321 §4.1.2 esmtp-param). Only those we advertise are
/// accepted; an unknown one is 555 (RFC 5321 §4.1.1.11), a repeated one 501.
/// </summary>
internal static class ParameterParser
{
    public static Reply? Mail(string text, out MailParameters parameters)
    {
        parameters = MailParameters.None;
        foreach (var (keyword, value) in Split(text, out var error))
        {
            if (error is not null)
            {
                return error;
            }

            var (next, bad) = keyword switch
            {
                "SIZE" when parameters.Size is null => Size(value, parameters),
                "BODY" when parameters.Body == BodyType.Unspecified => Body(value, parameters),
                "SMTPUTF8" when !parameters.SmtpUtf8 => value is null ? (parameters with { SmtpUtf8 = true }, null) : (parameters, SmtpReplies.ParameterSyntax(keyword)),
                "RET" when parameters.Ret == DsnReturn.Unspecified => Ret(value, parameters),
                "ENVID" when parameters.EnvId is null => value is { Length: > 0 and <= Limits.EnvId } && Xtext.IsValid(value)
                    ? (parameters with { EnvId = value }, null)
                    : (parameters, SmtpReplies.ParameterSyntax(keyword)),
                "SIZE" or "BODY" or "SMTPUTF8" or "RET" or "ENVID" => (parameters, SmtpReplies.ParameterDuplicate(keyword)),
                _ => (parameters, SmtpReplies.ParameterUnknown(keyword)),
            };
            if (bad is not null)
            {
                return bad;
            }

            parameters = next;
        }

        return null;
    }

    public static Reply? Rcpt(string text, out RcptParameters parameters)
    {
        parameters = RcptParameters.None;
        foreach (var (keyword, value) in Split(text, out var error))
        {
            if (error is not null)
            {
                return error;
            }

            var (next, bad) = keyword switch
            {
                "NOTIFY" when parameters.Notify == DsnNotify.Unspecified => Notify(value, parameters),
                "ORCPT" when parameters.Orcpt is null => IsOrcpt(value)
                    ? (parameters with { Orcpt = value }, null)
                    : (parameters, SmtpReplies.ParameterSyntax(keyword)),
                "NOTIFY" or "ORCPT" => (parameters, SmtpReplies.ParameterDuplicate(keyword)),
                _ => (parameters, SmtpReplies.ParameterUnknown(keyword)),
            };
            if (bad is not null)
            {
                return bad;
            }

            parameters = next;
        }

        return null;
    }

    private static List<(string Keyword, string? Value)> Split(string text, out Reply? error)
    {
        error = null;
        var result = new List<(string, string?)>();
        foreach (var token in text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = token.IndexOf('=');
            var keyword = (eq < 0 ? token : token[..eq]).ToUpperInvariant();
            var value = eq < 0 ? null : token[(eq + 1)..];
            // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); esmtp-value = 1*(%d33-60 / %d62-126)
            if (keyword.Length == 0 || keyword[0] == '-' || !keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                || value is { Length: 0 } || (value is not null && !value.All(c => c is >= '!' and <= '~' && c != '=')))
            {
                error = SmtpReplies.ParameterSyntax(keyword);
                result.Add((keyword, value));
                return result;
            }

            result.Add((keyword, value));
        }

        return result;
    }

    private static (MailParameters, Reply?) Size(string? value, MailParameters p) =>
        value is { Length: > 0 and <= 18 } && value.All(char.IsAsciiDigit)
            ? (p with { Size = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }, null)
            : (p, SmtpReplies.ParameterSyntax("SIZE"));

    private static (MailParameters, Reply?) Body(string? value, MailParameters p) => value?.ToUpperInvariant() switch
    {
        "7BIT" => (p with { Body = BodyType.SevenBit }, null),
        "8BITMIME" => (p with { Body = BodyType.EightBitMime }, null),
        _ => (p, SmtpReplies.ParameterSyntax("BODY")),
    };

    private static (MailParameters, Reply?) Ret(string? value, MailParameters p) => value?.ToUpperInvariant() switch
    {
        "FULL" => (p with { Ret = DsnReturn.Full }, null),
        "HDRS" => (p with { Ret = DsnReturn.Headers }, null),
        _ => (p, SmtpReplies.ParameterSyntax("RET")),
    };

    private static (RcptParameters, Reply?) Notify(string? value, RcptParameters p)
    {
        // RFC 3461 §4.1: NEVER, or a comma list of SUCCESS, FAILURE, DELAY.
        var flags = DsnNotify.Unspecified;
        foreach (var item in (value ?? "").ToUpperInvariant().Split(','))
        {
            var flag = item switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => DsnNotify.Unspecified,
            };
            if (flag == DsnNotify.Unspecified || flags.HasFlag(flag))
            {
                return (p, SmtpReplies.ParameterSyntax("NOTIFY"));
            }

            flags |= flag;
        }

        return flags.HasFlag(DsnNotify.Never) && flags != DsnNotify.Never
            ? (p, SmtpReplies.ParameterSyntax("NOTIFY"))
            : (p with { Notify = flags }, null);
    }

    /// <summary>RFC 3461 §4.2: ORCPT = addr-type ";" xtext, at most 500 characters.</summary>
    private static bool IsOrcpt(string? value)
    {
        if (value is null || value.Length > Limits.Orcpt)
        {
            return false;
        }

        var semicolon = value.IndexOf(';');
        return semicolon > 0 && value[..semicolon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && Xtext.IsValid(value[(semicolon + 1)..]);
    }
}
