using Gateway.Protocol.Queue;

namespace Gateway.Protocol.Status;

/// <summary>
/// The queue by destination (Postfix's <c>qshape</c> by domain, in one line each): pending recipients grouped by
/// their domain, the destinations with the most first.
/// </summary>
public static class QueueDestinations
{
    /// <summary>What the status record carries: the busiest destinations, not all (a record is gossiped to every node).</summary>
    public const int DefaultCount = 10;

    /// <summary>A queued message as the summary needs it: its recipients' addresses in envelope order, and its entry.</summary>
    public sealed record Queued(IReadOnlyList<string> Recipients, QueueEntry Entry);

    /// <summary>
    /// The <paramref name="count"/> destinations with the most pending recipients. A destination's last error is the
    /// one of its most recently queued message that has one: the recipient's own reply, else the message's last error.
    /// </summary>
    public static IReadOnlyList<DestinationSummary> Top(IEnumerable<Queued> messages, int count = DefaultCount)
    {
        var byDomain = new Dictionary<string, (HashSet<string> Ids, int Recipients, DateTimeOffset Oldest, DateTimeOffset ErrorAt, string? Error)>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            var entry = message.Entry;
            for (var i = 0; i < entry.Recipients.Count && i < message.Recipients.Count; i++)
            {
                var recipient = entry.Recipients[i];
                if (recipient.State != RecipientState.Pending)
                {
                    continue;
                }

                var domain = DomainOf(message.Recipients[i]);
                var d = byDomain.TryGetValue(domain, out var found) ? found : ([], 0, entry.QueuedAt, DateTimeOffset.MinValue, null);
                d.Ids.Add(entry.Id);
                d.Recipients++;
                d.Oldest = entry.QueuedAt < d.Oldest ? entry.QueuedAt : d.Oldest;
                if ((recipient.Reply ?? entry.LastError) is { } error && entry.QueuedAt >= d.ErrorAt)
                {
                    (d.ErrorAt, d.Error) = (entry.QueuedAt, error);
                }

                byDomain[domain] = d;
            }
        }

        return
        [
            .. byDomain
                .OrderByDescending(d => d.Value.Recipients)
                .ThenBy(d => d.Key, StringComparer.Ordinal)
                .Take(count)
                .Select(d => new DestinationSummary(d.Key, d.Value.Ids.Count, d.Value.Recipients, d.Value.Oldest, d.Value.Error)),
        ];
    }

    /// <summary>The domain after the last @, lower-cased; a bare local part (&lt;postmaster&gt;) is this host's: "(local)".</summary>
    public static string DomainOf(string address)
    {
        var trimmed = address.Trim('<', '>');
        var at = trimmed.LastIndexOf('@');
        return at < 0 || at == trimmed.Length - 1 ? "(local)" : trimmed[(at + 1)..].ToLowerInvariant();
    }
}
