using Gateway.Protocol.Mail;

namespace Gateway.Protocol.Dsn;

/// <summary>Whether a recipient's outcome is reported to the sender at all (RFC 3461 §4.1, RFC 5321 §6.1).</summary>
public static class DsnNotice
{
    /// <summary>
    /// Never for the null sender: a bounce is never bounced (RFC 5321 §6.1, RFC 3461 §6.2), and it would loop.
    /// NOTIFY=NEVER: never. Without NOTIFY: failures and delays, as sendmail and Postfix do. Otherwise as asked.
    /// </summary>
    public static bool Wanted(Envelope envelope, Recipient recipient, DsnAction action)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(recipient);
        if (envelope.ReversePath is null)
        {
            return false;
        }

        var notify = recipient.Parameters.Notify;
        if (notify.HasFlag(DsnNotify.Never))
        {
            return false;
        }

        return action switch
        {
            DsnAction.Failed => notify == DsnNotify.Unspecified || notify.HasFlag(DsnNotify.Failure),
            DsnAction.Delayed => notify == DsnNotify.Unspecified || notify.HasFlag(DsnNotify.Delay),
            _ => notify.HasFlag(DsnNotify.Success),
        };
    }
}
