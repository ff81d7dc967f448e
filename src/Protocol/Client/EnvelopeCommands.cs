using System.Globalization;
using System.Text;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Client;

/// <summary>
/// MAIL and RCPT for relaying a spooled message to a next hop, with the parameters the hop offered and the message
/// needs, or a refusal when it cannot take the message as it is:
/// <list type="bullet">
/// <item>SMTPUTF8 needed and not offered: 5.6.7 (RFC 6531 §3.2 forbids sending; a downgrade would change addresses).</item>
/// <item>8-bit content to a hop without 8BITMIME: 5.6.3. RFC 6152 §3 allows converting or refusing; converting MIME
/// to 7 bits would alter signed messages (DKIM), so this gateway refuses, as sendmail's EightBitMode=strict does,
/// rather than pass 8 bits where they are not allowed, as sendmail's default does.</item>
/// <item>Larger than the hop's SIZE: 5.3.4 (RFC 1870 §6.3: the client must not send it).</item>
/// </list>
/// DSN's RET, ENVID, NOTIFY and ORCPT are passed on when the hop offers DSN (RFC 3461 §4), so the final MTA can honour them.
/// </summary>
public static class EnvelopeCommands
{
    /// <param name="size">The message's size as it will be sent, Received header included.</param>
    /// <param name="eightBit">Whether the content holds any byte above 127.</param>
    public static EnvelopeCommand Mail(Envelope envelope, long size, bool eightBit, ServerExtensions hop, string hopName)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(hop);
        var parameters = envelope.Parameters;
        var international = parameters.SmtpUtf8 || envelope.ReversePath?.IsInternational == true || envelope.Recipients.Any(r => r.Address.IsInternational);
        if (international && !hop.SmtpUtf8)
        {
            return new EnvelopeCommand.Refuse(new EnhancedStatus(5, 6, 7), $"SMTPUTF8 is required, but was not offered by host {hopName}");
        }

        var eightBitBody = eightBit || parameters.Body == BodyType.EightBitMime;
        if (eightBitBody && !hop.EightBitMime)
        {
            return new EnvelopeCommand.Refuse(new EnhancedStatus(5, 6, 3), $"8-bit content, and host {hopName} does not offer 8BITMIME (RFC 6152)");
        }

        if (hop.SizeLimit is > 0 and var limit && size > limit)
        {
            return new EnvelopeCommand.Refuse(
                new EnhancedStatus(5, 3, 4), string.Create(CultureInfo.InvariantCulture, $"message of {size} bytes exceeds host {hopName}'s limit of {limit}"));
        }

        var line = new StringBuilder("MAIL FROM:<").Append(envelope.ReversePath?.ToString() ?? "").Append('>');
        if (hop.SizeLimit is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $" SIZE={size}");
        }

        if (eightBitBody && hop.EightBitMime)
        {
            line.Append(" BODY=8BITMIME");
        }

        if (international)
        {
            line.Append(" SMTPUTF8");
        }

        if (hop.Dsn)
        {
            line.Append(parameters.Ret switch
            {
                DsnReturn.Full => " RET=FULL",
                DsnReturn.Headers => " RET=HDRS",
                _ => "",
            });
            if (parameters.EnvId is { } envId)
            {
                line.Append(" ENVID=").Append(envId);
            }
        }

        return new EnvelopeCommand.Send(line.ToString());
    }

    public static EnvelopeCommand Rcpt(Recipient recipient, ServerExtensions hop)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(hop);
        var line = new StringBuilder("RCPT TO:<").Append(recipient.Address).Append('>');
        if (hop.Dsn)
        {
            var notify = recipient.Parameters.Notify;
            if (notify != DsnNotify.Unspecified)
            {
                line.Append(" NOTIFY=").Append(notify.HasFlag(DsnNotify.Never)
                    ? "NEVER"
                    : string.Join(',', new[] { (DsnNotify.Success, "SUCCESS"), (DsnNotify.Failure, "FAILURE"), (DsnNotify.Delay, "DELAY") }
                        .Where(f => notify.HasFlag(f.Item1)).Select(f => f.Item2)));
            }

            if (recipient.Parameters.Orcpt is { } orcpt)
            {
                line.Append(" ORCPT=").Append(orcpt);
            }
        }

        return new EnvelopeCommand.Send(line.ToString());
    }
}
