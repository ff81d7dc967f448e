using System.Globalization;
using System.Text;
using Gateway.Actors.Queue;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway queue list</c> as text, in the shape of Postfix's mailq: a line per message (id, size, arrival, age, state,
/// sender), a line on why it waits, an indented line per recipient with its last reply, and the closing
/// <c>-- N Kbytes in M Requests.</c> Times are UTC.
/// </summary>
internal static class QueueListingText
{
    private const string Indent = "      ";

    public static string Render(IReadOnlyList<QueueListing> messages, DateTimeOffset now)
    {
        if (messages.Count == 0)
        {
            return "Mail queue is empty\n";
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"ID",-20}  {"SIZE",8}  {"ARRIVAL (UTC)",-19}  {"AGE",-6}  {"STATE",-8}  SENDER\n");
        foreach (var message in messages)
        {
            Message(text, message, now);
        }

        // As Postfix's showq: the sizes rounded up to whole kilobytes, "Request" without an s for one.
        var kbytes = (messages.Sum(m => m.Size) + 1023) / 1024;
        text.Append(CultureInfo.InvariantCulture, $"-- {kbytes} Kbytes in {messages.Count} Request{(messages.Count == 1 ? "" : "s")}.\n");
        return text.ToString();
    }

    private static void Message(StringBuilder text, QueueListing message, DateTimeOffset now)
    {
        // A message the queue has not read yet has no arrival (QueueActor.Listing).
        var known = message.QueuedAt != DateTimeOffset.MinValue;
        var arrival = known ? message.QueuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
        var age = known ? Span(now - message.QueuedAt) : "-";
        var sender = message.Sender.Length == 0 ? "<>" : message.Sender;
        text.Append(CultureInfo.InvariantCulture, $"{message.Id,-20}  {message.Size,8}  {arrival,-19}  {age,-6}  {message.State,-8}  {sender}\n");
        if (Why(message, now) is { Length: > 0 } why)
        {
            text.Append(Indent).Append('(').Append(why).Append(")\n");
        }

        foreach (var recipient in message.Recipients)
        {
            text.Append(Indent).Append(recipient.Address).Append("  ").Append(recipient.State);
            if (recipient.Reply is { } reply)
            {
                text.Append("  (").Append(reply).Append(')');
            }

            text.Append('\n');
        }

        text.Append('\n');
    }

    /// <summary>Failed attempts, the last error and the next attempt, the facts mailq puts in parentheses.</summary>
    private static string Why(QueueListing message, DateTimeOffset now)
    {
        var parts = new List<string>();
        if (message.FailedAttempts > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{message.FailedAttempts} failed attempt{(message.FailedAttempts == 1 ? "" : "s")}"));
        }

        if (message.LastError is { } error)
        {
            parts.Add(error);
        }

        if (message.NextAttempt is { } next)
        {
            var at = next.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            parts.Add(next > now ? $"next attempt {at}, in {Span(next - now)}" : $"next attempt {at}, due");
        }

        return string.Join("; ", parts);
    }

    /// <summary>A duration in its two largest units: 42s, 5m07s, 3h02m, 2d04h.</summary>
    public static string Span(TimeSpan span)
    {
        var t = span < TimeSpan.Zero ? TimeSpan.Zero : span;
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d{t.Hours:00}h"
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
            : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s"
            : $"{(int)t.TotalSeconds}s";
    }
}
