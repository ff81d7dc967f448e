namespace Gateway.Protocol.Queue;

/// <summary>
/// When a deferred message is tried again, and when it is given up (issue 13's Queue:RetrySchedule and
/// Queue:MaxLifetime). As Postfix does it: the wait starts at <see cref="First"/> and doubles after each failed
/// attempt up to <see cref="Longest"/> (minimal_backoff_time 300 s, maximal_backoff_time 4000 s); a message older
/// than <see cref="MaxLifetime"/> is bounced rather than tried again (maximal_queue_lifetime, 5 days). A delay
/// warning is due once, after <see cref="DelayWarning"/> (sendmail's Timeout.queuewarn, 4 hours).
/// </summary>
public sealed record RetrySchedule(TimeSpan First, TimeSpan Longest, TimeSpan MaxLifetime, TimeSpan DelayWarning)
{
    /// <summary>Postfix's back-off and lifetime, sendmail's warning.</summary>
    public static readonly RetrySchedule Default = new(TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(4000), TimeSpan.FromDays(5), TimeSpan.FromHours(4));

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failed attempt (1 for the first failure).</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var delay = First;
        for (var i = 1; i < failedAttempts && delay < Longest; i++)
        {
            delay *= 2;
        }

        return delay < Longest ? delay : Longest;
    }

    /// <summary>
    /// After a failed attempt at <paramref name="now"/>: when to try next, or null when the message has outlived
    /// <see cref="MaxLifetime"/> and must be bounced. A retry that would fall after the end of the lifetime is moved to
    /// the end, so the last attempt is made before giving up rather than the message waiting past it.
    /// </summary>
    public DateTimeOffset? NextAttempt(DateTimeOffset queuedAt, DateTimeOffset now, int failedAttempts)
    {
        var end = queuedAt + MaxLifetime;
        if (now >= end)
        {
            return null;
        }

        var next = now + DelayAfter(failedAttempts);
        return next < end ? next : end;
    }

    /// <summary>Whether the sender should now be told the message is delayed (once; not when it is about to bounce anyway).</summary>
    public bool WarningDue(DateTimeOffset queuedAt, DateTimeOffset now, bool warned) =>
        !warned && now - queuedAt >= DelayWarning && now - queuedAt < MaxLifetime;
}
