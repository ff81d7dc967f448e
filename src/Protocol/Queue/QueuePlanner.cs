using Gateway.Protocol.Dsn;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Queue;

/// <summary>
/// The queue's decisions as pure functions of the message, its entry, what an attempt did and the time: which recipients
/// are final, when the next attempt is, when the message is given up (<see cref="RetrySchedule"/>), and what the sender
/// is told (RFC 3461 NOTIFY through <see cref="DsnNotice"/>). The QueueActor carries them out; tests drive them with any clock.
/// </summary>
public static class QueuePlanner
{
    /// <summary>RFC 3463 §3.5: delivery time expired; the status of a recipient given up without a reply of its own.</summary>
    private const string Expired = "4.4.7 delivery time expired";

    public static AttemptVerdict After(
        Envelope envelope, QueueEntry entry, IReadOnlyList<AttemptResult> results, DateTimeOffset now, RetrySchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(schedule);
        var recipients = entry.Recipients.ToArray();
        var success = new Dictionary<int, DsnAction>();
        string? lastError = null;
        foreach (var result in results)
        {
            if (result.Index < 0 || result.Index >= recipients.Length || recipients[result.Index].State != RecipientState.Pending)
            {
                // A result for a recipient already final (a repeat after a lost outcome) changes nothing.
                continue;
            }

            var recipient = envelope.Recipients[result.Index];
            recipients[result.Index] = result.Kind switch
            {
                AttemptResultKind.Delivered => new RecipientStatus(
                    RecipientState.Delivered, result.Reply, result.RemoteMta,
                    Reported: result.Success is not { } action || !DsnNotice.Wanted(envelope, recipient, action)),
                AttemptResultKind.Failed => new RecipientStatus(
                    RecipientState.Failed, result.Reply, result.RemoteMta, Reported: !DsnNotice.Wanted(envelope, recipient, DsnAction.Failed)),
                _ => recipients[result.Index] with { Reply = result.Reply, RemoteMta = result.RemoteMta },
            };
            if (result.Kind == AttemptResultKind.Delivered && result.Success is { } owed)
            {
                success[result.Index] = owed;
            }

            if (result.Kind == AttemptResultKind.Deferred)
            {
                lastError = result.Reply;
            }
        }

        var next = entry with { Recipients = recipients, LastError = lastError ?? entry.LastError };
        var delayed = new List<int>();
        if (recipients.Any(r => r.State == RecipientState.Pending))
        {
            var failedAttempts = entry.FailedAttempts + 1;
            if (schedule.NextAttempt(entry.QueuedAt, now, failedAttempts) is { } when)
            {
                next = next with { FailedAttempts = failedAttempts, NextAttempt = when };
                if (schedule.WarningDue(entry.QueuedAt, now, entry.DelayWarned))
                {
                    delayed.AddRange(next.Pending.Where(i => DsnNotice.Wanted(envelope, envelope.Recipients[i], DsnAction.Delayed)));
                }
            }
            else
            {
                // The lifetime is over (Queue:MaxLifetime): every recipient still pending is given up, with its last error.
                next = GiveUp(envelope, next with { FailedAttempts = failedAttempts, NextAttempt = null }, null);
            }
        }
        else
        {
            next = next with { NextAttempt = null };
        }

        return Verdict(envelope, next, now, schedule, success, delayed);
    }

    /// <summary>
    /// <c>gateway queue bounce</c>: every recipient still pending fails now with <paramref name="reason"/>, and the sender
    /// is told as NOTIFY asks.
    /// </summary>
    public static AttemptVerdict Bounce(Envelope envelope, QueueEntry entry, DateTimeOffset now, RetrySchedule schedule, string reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Verdict(envelope, GiveUp(envelope, entry with { NextAttempt = null }, reason), now, schedule, new Dictionary<int, DsnAction>(), []);
    }

    /// <summary>The report of <paramref name="verdict"/> is safely in the spool: its recipients are reported, and a delay warning is not sent again.</summary>
    public static QueueEntry Reported(AttemptVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var recipients = verdict.Entry.Recipients.ToArray();
        var warned = verdict.Entry.DelayWarned;
        foreach (var (index, outcome) in verdict.Report)
        {
            if (outcome.Action == DsnAction.Delayed)
            {
                warned = true;
            }
            else
            {
                recipients[index] = recipients[index] with { Reported = true };
            }
        }

        return verdict.Entry with { Recipients = recipients, DelayWarned = warned };
    }

    private static QueueEntry GiveUp(Envelope envelope, QueueEntry entry, string? reason)
    {
        var recipients = entry.Recipients.ToArray();
        for (var i = 0; i < recipients.Length; i++)
        {
            if (recipients[i].State == RecipientState.Pending)
            {
                recipients[i] = new RecipientStatus(
                    RecipientState.Failed,
                    reason ?? (string.IsNullOrEmpty(recipients[i].Reply) ? Expired : recipients[i].Reply),
                    recipients[i].RemoteMta,
                    Reported: !DsnNotice.Wanted(envelope, envelope.Recipients[i], DsnAction.Failed));
            }
        }

        return entry with { Recipients = recipients };
    }

    private static AttemptVerdict Verdict(
        Envelope envelope, QueueEntry entry, DateTimeOffset now, RetrySchedule schedule, IReadOnlyDictionary<int, DsnAction> success, IReadOnlyList<int> delayed)
    {
        var report = new List<(int, RecipientOutcome)>();
        for (var i = 0; i < entry.Recipients.Count; i++)
        {
            var status = entry.Recipients[i];
            if (status.Reported || status.State == RecipientState.Pending)
            {
                continue;
            }

            // A success owed from an earlier attempt whose report was not written: Relayed is the safe word for it.
            var action = status.State == RecipientState.Failed ? DsnAction.Failed : success.GetValueOrDefault(i, DsnAction.Relayed);
            report.Add((i, Outcome(envelope.Recipients[i], action, status, now, null)));
        }

        foreach (var i in delayed)
        {
            report.Add((i, Outcome(envelope.Recipients[i], DsnAction.Delayed, entry.Recipients[i], now, entry.QueuedAt + schedule.MaxLifetime)));
        }

        // RFC 5321 §6.1, RFC 3461 §6.2: a report that cannot be delivered is never reported on; it is held for the
        // postmaster, visible in the queue listing, rather than dropped.
        if (envelope.ReversePath is null && entry.Recipients.All(r => r.State != RecipientState.Pending)
            && entry.Recipients.Any(r => r.State == RecipientState.Failed))
        {
            entry = entry with { Held = true, LastError = "undeliverable delivery report, held for the postmaster: " + entry.Recipients.First(r => r.State == RecipientState.Failed).Reply };
        }

        return new AttemptVerdict(entry, report);
    }

    private static RecipientOutcome Outcome(Recipient recipient, DsnAction action, RecipientStatus status, DateTimeOffset now, DateTimeOffset? until)
    {
        var code = action is DsnAction.Delivered or DsnAction.Relayed
            ? new EnhancedStatus(2, 0, 0)
            : ReplyStatus.Of(status.Reply, permanent: action == DsnAction.Failed);
        return new RecipientOutcome(recipient, action, code, status.RemoteMta, status.Reply, now, until);
    }
}
