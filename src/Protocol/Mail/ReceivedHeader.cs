using System.Globalization;
using System.Text;

namespace Gateway.Protocol.Mail;

/// <summary>
/// The Received trace field (SPEC R68, RFC 5321 §4.4), sendmail's shape: from, by, with, id, an
/// optional TLS comment, for (one recipient only), date. Folded with CRLF TAB.
/// </summary>
public static class ReceivedHeader
{
    /// <param name="product">Product and version for the comment after "by", e.g. "Gateway 0.1/0.1".</param>
    /// <param name="tlsComment">SPEC R68 part 4 with its parentheses, e.g. TlsFacts.ReceivedComment(); null without TLS.</param>
    public static string Build(Envelope envelope, string hostname, string product, string? tlsComment = null)
    {
        var text = new StringBuilder(256);
        text.Append("Received: from ").Append(envelope.HeloName).Append(" (");
        if (envelope.ClientDescription is { } description)
        {
            text.Append(description);
        }
        else
        {
            text.Append('[').Append(envelope.ClientAddress).Append(']');
        }

        text.Append(")\r\n");
        text.Append("\tby ").Append(hostname).Append(" (").Append(product).Append(')')
            .Append(" with ").Append(envelope.Protocol)
            .Append(" id ").Append(envelope.Id);
        if (tlsComment is not null)
        {
            text.Append("\r\n\t").Append(tlsComment);
        }

        var date = Date(envelope.ReceivedAt);
        if (envelope.Recipients.Count == 1)
        {
            text.Append("\r\n\tfor <").Append(envelope.Recipients[0].Address).Append(">; ").Append(date);
        }
        else
        {
            text.Append(";\r\n\t").Append(date);
        }

        return text.Append("\r\n").ToString();
    }

    /// <summary>RFC 5322 §3.3 date-time, e.g. "Sun, 29 Nov 2026 08:00:00 +0000".</summary>
    public static string Date(DateTimeOffset at)
    {
        var offset = at.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return at.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + $"{sign}{abs.Hours:00}{abs.Minutes:00}";
    }
}
