using System.Globalization;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Queue;

/// <summary>The RFC 3463 status a reply carries, for the delivery report.</summary>
public static class ReplyStatus
{
    /// <summary>
    /// The enhanced status after the reply code ("550 5.1.1 …" → 5.1.1), or the gateway's own text starting with one
    /// ("4.4.1 connect to …"); else the class alone (RFC 3463 §3.1: x.0.0 when nothing more is known).
    /// </summary>
    public static EnhancedStatus Of(string? reply, bool permanent)
    {
        var words = (reply ?? "").Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        foreach (var word in words.Take(2))
        {
            var parts = word.Split('.');
            if (parts.Length == 3
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is 2 or 4 or 5
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s < 1000
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d < 1000)
            {
                // A 4.x.x kept for a recipient that is now failed (its lifetime is over) stays 4.x.x: RFC 3464 §2.3.4
                // allows it, and it says why the last attempt failed; the Action field says it was given up.
                return new EnhancedStatus(c, s, d);
            }
        }

        return permanent ? new EnhancedStatus(5, 0, 0) : new EnhancedStatus(4, 0, 0);
    }
}
