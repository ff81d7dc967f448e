using System.Text;
using Gateway.Protocol.Mail;

namespace Gateway.Delivery;

/// <summary>
/// The directory name of a recipient's Maildir: the address in lower case, with every character
/// that is unsafe in a path ('/', NUL, a leading '.', quotes, blanks …) written as %XX of its UTF-8
/// bytes, so that no address can climb out of the Maildir root.
/// </summary>
internal static class MailboxDirectory
{
    public static string Name(Mailbox recipient, string defaultDomain)
    {
        // RFC 5321 §4.1.1.3: a bare "Postmaster" is the postmaster of this host.
        var address = recipient.Domain.Length == 0 ? $"{recipient.LocalPart}@{defaultDomain}" : recipient.ToString();
        var text = new StringBuilder(address.Length + 8);
        var lower = address.ToLowerInvariant();
        for (var i = 0; i < lower.Length; i++)
        {
            var c = lower[i];
            var safe = char.IsAsciiLetterOrDigit(c) || c is '@' or '-' or '_' or '+' or '=' || (c == '.' && i > 0)
                || (c > 127 && char.IsLetterOrDigit(c));
            if (safe)
            {
                text.Append(c);
                continue;
            }

            foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
