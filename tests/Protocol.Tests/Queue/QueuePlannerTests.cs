using Gateway.Protocol.Dsn;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Tests.Queue;

public sealed class QueuePlannerTests
{
    private static readonly DateTimeOffset Queued = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Schedule = RetrySchedule.Default;

    private static Envelope Envelope(Mailbox? sender, params RcptParameters[] recipients) => new(
        "Q1",
        sender,
        MailParameters.None,
        [.. recipients.Select((p, i) => new Recipient(new Mailbox($"r{i}", "remote.example"), p))],
        "client.example",
        "192.0.2.7",
        "ESMTP",
        Queued);

    private static Envelope Two => Envelope(new Mailbox("alice", "example.org"), RcptParameters.None, RcptParameters.None);

    [Fact]
    public void Every_recipient_delivered_finishes_the_message_without_a_report()
    {
        var entry = QueueEntry.New("Q1", Queued, 2);
        var verdict = QueuePlanner.After(Two, entry, [Delivered(0), Delivered(1)], Queued.AddSeconds(1), Schedule);

        Assert.Empty(verdict.Report);
        Assert.True(verdict.Entry.Finished);
        Assert.Null(verdict.Entry.NextAttempt);
        Assert.Equal("250 2.0.0 Ok", verdict.Entry.Recipients[0].Reply);
    }

    [Fact]
    public void A_deferral_keeps_the_recipient_and_schedules_the_next_attempt_by_the_back_off()
    {
        var entry = QueueEntry.New("Q1", Queued, 2);
        var now = Queued.AddMinutes(1);
        var verdict = QueuePlanner.After(Two, entry, [Delivered(0), Deferred(1, "451 4.3.0 try later")], now, Schedule);

        Assert.Empty(verdict.Report);
        Assert.False(verdict.Entry.Finished);
        Assert.Equal([1], verdict.Entry.Pending);
        Assert.Equal(1, verdict.Entry.FailedAttempts);
        Assert.Equal(now.AddSeconds(300), verdict.Entry.NextAttempt);
        Assert.Equal("451 4.3.0 try later", verdict.Entry.LastError);

        var second = QueuePlanner.After(Two, verdict.Entry, [Deferred(1, "451 4.3.0 still")], now.AddSeconds(300), Schedule);
        Assert.Equal(now.AddSeconds(900), second.Entry.NextAttempt);
    }

    [Fact]
    public void A_permanent_failure_is_reported_with_its_reply_and_the_message_finishes_once_the_report_is_spooled()
    {
        var entry = QueueEntry.New("Q1", Queued, 2);
        var verdict = QueuePlanner.After(
            Two, entry, [Delivered(0), new AttemptResult(1, AttemptResultKind.Failed, "550 5.1.1 <r1@remote.example>: user unknown", "mx.remote.example")],
            Queued.AddSeconds(5), Schedule);

        var (index, outcome) = Assert.Single(verdict.Report);
        Assert.Equal(1, index);
        Assert.Equal(DsnAction.Failed, outcome.Action);
        Assert.Equal(new EnhancedStatus(5, 1, 1), outcome.Status);
        Assert.Equal("mx.remote.example", outcome.RemoteMta);
        Assert.False(verdict.Entry.Finished);

        Assert.True(QueuePlanner.Reported(verdict).Finished);
    }

    [Fact]
    public void A_report_not_yet_spooled_is_owed_again_by_the_next_verdict()
    {
        var entry = QueueEntry.New("Q1", Queued, 2);
        var first = QueuePlanner.After(Two, entry, [Failed(0), Deferred(1, "421 4.4.2 timeout")], Queued.AddSeconds(5), Schedule);

        // The report could not be written (a full disk): the entry is kept as the verdict left it.
        var second = QueuePlanner.After(Two, first.Entry, [Delivered(1)], Queued.AddMinutes(6), Schedule);

        var (index, outcome) = Assert.Single(second.Report);
        Assert.Equal(0, index);
        Assert.Equal(DsnAction.Failed, outcome.Action);
    }

    [Fact]
    public void NOTIFY_NEVER_and_a_null_sender_get_no_report()
    {
        var never = Envelope(new Mailbox("alice", "example.org"), new RcptParameters(DsnNotify.Never, null));
        var verdict = QueuePlanner.After(never, QueueEntry.New("Q1", Queued, 1), [Failed(0)], Queued, Schedule);
        Assert.Empty(verdict.Report);
        Assert.True(verdict.Entry.Finished);
    }

    [Fact]
    public void A_delivery_report_that_fails_is_never_bounced_but_held_for_the_postmaster()
    {
        var bounce = Envelope(null, RcptParameters.None);
        var verdict = QueuePlanner.After(bounce, QueueEntry.New("Q1", Queued, 1), [Failed(0)], Queued, Schedule);

        Assert.Empty(verdict.Report);
        Assert.True(verdict.Entry.Held);
        Assert.Contains("550 5.1.1 no such user", verdict.Entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void NOTIFY_SUCCESS_to_a_hop_without_DSN_is_answered_as_relayed()
    {
        var envelope = Envelope(new Mailbox("alice", "example.org"), new RcptParameters(DsnNotify.Success | DsnNotify.Failure, null));
        var verdict = QueuePlanner.After(
            envelope, QueueEntry.New("Q1", Queued, 1),
            [new AttemptResult(0, AttemptResultKind.Delivered, "250 ok", "mx.remote.example", DsnAction.Relayed)], Queued, Schedule);

        var (_, outcome) = Assert.Single(verdict.Report);
        Assert.Equal(DsnAction.Relayed, outcome.Action);
        Assert.Equal(new EnhancedStatus(2, 0, 0), outcome.Status);

        // A hop that took NOTIFY reports itself.
        var passed = QueuePlanner.After(envelope, QueueEntry.New("Q1", Queued, 1), [Delivered(0)], Queued, Schedule);
        Assert.Empty(passed.Report);
        Assert.True(passed.Entry.Finished);
    }

    [Fact]
    public void At_the_end_of_the_lifetime_pending_recipients_fail_with_their_last_error()
    {
        var entry = QueueEntry.New("Q1", Queued, 2) with { FailedAttempts = 40 };
        var verdict = QueuePlanner.After(Two, entry, [Deferred(0, "4.4.1 connect to mx.remote.example[192.0.2.1]:25: Connection refused"), Deferred(1, "")], Queued.AddDays(5), Schedule);

        Assert.Equal(2, verdict.Report.Count);
        Assert.All(verdict.Report, r => Assert.Equal(DsnAction.Failed, r.Outcome.Action));
        Assert.Equal(new EnhancedStatus(4, 4, 1), verdict.Report[0].Outcome.Status);
        Assert.Equal(new EnhancedStatus(4, 4, 7), verdict.Report[1].Outcome.Status);
        Assert.Equal("4.4.7 delivery time expired", verdict.Report[1].Outcome.Diagnostic);
        Assert.Null(verdict.Entry.NextAttempt);
        Assert.True(QueuePlanner.Reported(verdict).Finished);
    }

    [Fact]
    public void The_last_attempt_falls_at_the_end_of_the_lifetime_not_after_it()
    {
        var entry = QueueEntry.New("Q1", Queued, 1) with { FailedAttempts = 40, DelayWarned = true };
        var now = Queued.AddDays(5).AddMinutes(-10);
        var verdict = QueuePlanner.After(Envelope(new Mailbox("a", "example.org"), RcptParameters.None), entry, [Deferred(0, "451 later")], now, Schedule);

        Assert.Equal(Queued.AddDays(5), verdict.Entry.NextAttempt);
        Assert.Empty(verdict.Report);
    }

    [Fact]
    public void The_delay_warning_comes_once_after_four_hours_for_recipients_that_want_it()
    {
        var envelope = Envelope(new Mailbox("alice", "example.org"), RcptParameters.None, new RcptParameters(DsnNotify.Failure, null));
        var entry = QueueEntry.New("Q1", Queued, 2) with { FailedAttempts = 5 };
        var early = QueuePlanner.After(envelope, entry, [Deferred(0, "451 a"), Deferred(1, "451 b")], Queued.AddHours(3), Schedule);
        Assert.Empty(early.Report);

        var late = QueuePlanner.After(envelope, early.Entry, [Deferred(0, "451 a"), Deferred(1, "451 b")], Queued.AddHours(4), Schedule);
        var (index, outcome) = Assert.Single(late.Report);
        Assert.Equal(0, index);
        Assert.Equal(DsnAction.Delayed, outcome.Action);
        Assert.Equal(Queued.AddDays(5), outcome.WillRetryUntil);

        var warned = QueuePlanner.Reported(late);
        Assert.True(warned.DelayWarned);
        Assert.Equal(RecipientState.Pending, warned.Recipients[0].State);
        Assert.Empty(QueuePlanner.After(envelope, warned, [Deferred(0, "451 a")], Queued.AddHours(5), Schedule).Report);
    }

    [Fact]
    public void A_result_for_a_recipient_already_final_changes_nothing()
    {
        var entry = QueueEntry.New("Q1", Queued, 2);
        var first = QueuePlanner.After(Two, entry, [Delivered(0), Deferred(1, "451 x")], Queued, Schedule);
        var repeat = QueuePlanner.After(Two, first.Entry, [Failed(0), Delivered(1)], Queued.AddMinutes(5), Schedule);

        Assert.Equal(RecipientState.Delivered, repeat.Entry.Recipients[0].State);
        Assert.Empty(repeat.Report);
        Assert.True(repeat.Entry.Finished);
    }

    [Fact]
    public void Bounce_fails_every_pending_recipient_with_the_reason_given()
    {
        var entry = QueuePlanner.After(Two, QueueEntry.New("Q1", Queued, 2), [Delivered(0), Deferred(1, "451 x")], Queued, Schedule).Entry;
        var verdict = QueuePlanner.Bounce(Two, entry, Queued.AddHours(1), Schedule, "5.0.0 bounced by the administrator");

        var (index, outcome) = Assert.Single(verdict.Report);
        Assert.Equal(1, index);
        Assert.Equal(new EnhancedStatus(5, 0, 0), outcome.Status);
        Assert.Equal("5.0.0 bounced by the administrator", outcome.Diagnostic);
    }

    private static AttemptResult Delivered(int index) => new(index, AttemptResultKind.Delivered, "250 2.0.0 Ok");

    private static AttemptResult Deferred(int index, string reply) => new(index, AttemptResultKind.Deferred, reply);

    private static AttemptResult Failed(int index) => new(index, AttemptResultKind.Failed, "550 5.1.1 no such user");
}
