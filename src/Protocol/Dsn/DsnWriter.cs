using System.Globalization;
using System.Text;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Mail;

namespace Gateway.Protocol.Dsn;

/// <summary>
/// Writes a delivery status notification: an RFC 6522 multipart/report with a text part for people, the RFC 3464
/// message/delivery-status for programs, and the original message (message/rfc822) or, with RET=HDRS, its header
/// (text/rfc822-headers). From MAILER-DAEMON, with the null sender on the envelope that carries it, so it can never
/// be bounced back (RFC 3461 §6.2), and Auto-Submitted (RFC 3834). Text from the next hop never makes a header line
/// of its own: control characters become spaces and long replies are cut (RFC 5322 §2.1.1: 998 characters a line).
/// </summary>
public static class DsnWriter
{
    private const int LongestDiagnostic = 900;

    public static byte[] Write(DeliveryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var envelope = report.Envelope;
        var sender = envelope.ReversePath ?? throw new ArgumentException("a report for the null sender is never sent (RFC 3461 §6.2)", nameof(report));
        var boundary = $"{report.MessageId.Split('@')[0]}/{report.ReportingMta}";
        var headersOnly = envelope.Parameters.Ret == DsnReturn.Headers;
        var original = headersOnly ? Header(report.Original.Span) : report.Original.Span;
        var international = envelope.Parameters.SmtpUtf8 || report.Outcomes.Any(o => o.Recipient.Address.IsInternational);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"From: Mail Delivery System <MAILER-DAEMON@{report.ReportingMta}>\r\n");
        text.Append(CultureInfo.InvariantCulture, $"To: <{sender}>\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Subject: {Subject(report.Outcomes)}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Date: {ReceivedHeader.Date(report.Now)}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Message-ID: <{report.MessageId}>\r\n");
        text.Append("Auto-Submitted: auto-replied\r\n");
        text.Append("MIME-Version: 1.0\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{boundary}\"\r\n");
        text.Append("\r\nThis is a MIME-encapsulated message.\r\n");

        text.Append(CultureInfo.InvariantCulture, $"\r\n--{boundary}\r\n");
        text.Append("Content-Description: Notification\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Content-Type: text/plain; charset={(international ? "utf-8" : "us-ascii")}\r\n\r\n");
        Notification(text, report);

        text.Append(CultureInfo.InvariantCulture, $"\r\n--{boundary}\r\n");
        text.Append("Content-Description: Delivery report\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Content-Type: message/{(international ? "global-delivery-status" : "delivery-status")}\r\n\r\n");
        Status(text, report);

        text.Append(CultureInfo.InvariantCulture, $"\r\n--{boundary}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Content-Description: {(headersOnly ? "Undelivered Message Headers" : "Undelivered Message")}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Content-Type: {(headersOnly ? "text/rfc822-headers" : "message/rfc822")}\r\n");
        if (!System.Text.Ascii.IsValid(original))
        {
            // message/rfc822 allows only 7bit, 8bit or binary (RFC 2046 §5.2.1); the lines are CRLF already.
            text.Append("Content-Transfer-Encoding: 8bit\r\n");
        }

        text.Append("\r\n");
        var head = Encoding.UTF8.GetBytes(text.ToString());
        var tail = Encoding.ASCII.GetBytes($"{(original.EndsWith("\r\n"u8) ? "" : "\r\n")}\r\n--{boundary}--\r\n");
        return [.. head, .. original, .. tail];
    }

    private static string Subject(IReadOnlyList<RecipientOutcome> outcomes) =>
        outcomes.Any(o => o.Action == DsnAction.Failed) ? "Undelivered Mail Returned to Sender"
        : outcomes.Any(o => o.Action == DsnAction.Delayed) ? "Delayed Mail (still being retried)"
        : "Successful Mail Delivery Report";

    private static void Notification(StringBuilder text, DeliveryReport report)
    {
        text.Append(CultureInfo.InvariantCulture, $"This is the mail system at host {report.ReportingMta}.\r\n\r\n");
        foreach (var group in report.Outcomes.GroupBy(o => o.Action))
        {
            text.Append(group.Key switch
            {
                DsnAction.Failed => "Your message could not be delivered to the recipients below; it has been given up.\r\n",
                DsnAction.Delayed => "Your message has not yet been delivered to the recipients below; delivery is still being tried, and there is nothing you need to do.\r\n",
                _ => "Your message was passed on for the recipients below.\r\n",
            });
            foreach (var outcome in group)
            {
                var why = outcome.Diagnostic is { } diagnostic ? OneLine(diagnostic) : $"status {outcome.Status}";
                var where = outcome.RemoteMta is { } mta ? $" (from {OneLine(mta)})" : "";
                text.Append(CultureInfo.InvariantCulture, $"\r\n  <{outcome.Recipient.Address}>: {why}{where}\r\n");
            }

            text.Append("\r\n");
        }
    }

    /// <summary>RFC 3464 §2.2 (per message) and §2.3 (per recipient).</summary>
    private static void Status(StringBuilder text, DeliveryReport report)
    {
        var envelope = report.Envelope;
        text.Append(CultureInfo.InvariantCulture, $"Reporting-MTA: dns; {report.ReportingMta}\r\n");
        if (envelope.Parameters.EnvId is { } envId)
        {
            text.Append(CultureInfo.InvariantCulture, $"Original-Envelope-Id: {OneLine(Xtext.Decode(envId))}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Received-From-MTA: dns; {OneLine(envelope.HeloName)} ([{envelope.ClientAddress}])\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Arrival-Date: {ReceivedHeader.Date(envelope.ReceivedAt)}\r\n");
        foreach (var outcome in report.Outcomes)
        {
            var address = outcome.Recipient.Address;
            text.Append("\r\n");
            if (outcome.Recipient.Parameters.Orcpt is { } orcpt && orcpt.IndexOf(';', StringComparison.Ordinal) is > 0 and var semicolon)
            {
                text.Append(CultureInfo.InvariantCulture, $"Original-Recipient: {orcpt[..semicolon]};{OneLine(Xtext.Decode(orcpt[(semicolon + 1)..]))}\r\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"Final-Recipient: {(address.IsInternational ? "utf-8" : "rfc822")}; {address}\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Action: {outcome.Action.ToString().ToLowerInvariant()}\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Status: {outcome.Status}\r\n");
            if (outcome.RemoteMta is { } mta)
            {
                text.Append(CultureInfo.InvariantCulture, $"Remote-MTA: dns; {OneLine(mta)}\r\n");
            }

            if (outcome.Diagnostic is { } diagnostic)
            {
                text.Append(CultureInfo.InvariantCulture, $"Diagnostic-Code: smtp; {OneLine(diagnostic)}\r\n");
            }

            if (outcome.LastAttempt is { } last)
            {
                text.Append(CultureInfo.InvariantCulture, $"Last-Attempt-Date: {ReceivedHeader.Date(last)}\r\n");
            }

            if (outcome.WillRetryUntil is { } until)
            {
                text.Append(CultureInfo.InvariantCulture, $"Will-Retry-Until: {ReceivedHeader.Date(until)}\r\n");
            }
        }
    }

    /// <summary>Text from outside (a next hop's reply, a HELO name) as one safe header value.</summary>
    private static string OneLine(string value)
    {
        var line = new string([.. value.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return line.Length <= LongestDiagnostic ? line : line[..LongestDiagnostic] + "...";
    }

    /// <summary>The original's header: everything up to and including the blank line that ends it (all of it if there is none).</summary>
    private static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> message)
    {
        var end = message.IndexOf("\r\n\r\n"u8);
        return end < 0 ? message : message[..(end + 4)];
    }
}
