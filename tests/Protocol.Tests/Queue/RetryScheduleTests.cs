using Gateway.Protocol.Queue;

namespace Gateway.Protocol.Tests.Queue;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Queued = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 300)]
    [InlineData(2, 600)]
    [InlineData(3, 1200)]
    [InlineData(4, 2400)]
    [InlineData(5, 4000)]
    [InlineData(6, 4000)]
    [InlineData(1000, 4000)]
    public void The_wait_doubles_from_five_minutes_up_to_4000_seconds_as_in_Postfix(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.Default.DelayAfter(failures));
    }

    [Fact]
    public void The_next_attempt_follows_the_wait_and_the_last_one_is_at_the_end_of_the_lifetime()
    {
        var schedule = RetrySchedule.Default;

        Assert.Equal(Queued.AddSeconds(300), schedule.NextAttempt(Queued, Queued, 1));
        var nearTheEnd = Queued + schedule.MaxLifetime - TimeSpan.FromMinutes(10);
        Assert.Equal(Queued + schedule.MaxLifetime, schedule.NextAttempt(Queued, nearTheEnd, 50));
    }

    [Fact]
    public void A_message_past_its_lifetime_is_given_up()
    {
        var schedule = RetrySchedule.Default;

        Assert.Null(schedule.NextAttempt(Queued, Queued + schedule.MaxLifetime, 80));
        Assert.Null(schedule.NextAttempt(Queued, Queued + schedule.MaxLifetime + TimeSpan.FromHours(1), 80));
    }

    [Fact]
    public void The_delay_warning_is_due_once_after_four_hours_and_not_when_the_message_bounces_anyway()
    {
        var schedule = RetrySchedule.Default;

        Assert.False(schedule.WarningDue(Queued, Queued.AddHours(4).AddSeconds(-1), warned: false));
        Assert.True(schedule.WarningDue(Queued, Queued.AddHours(4), warned: false));
        Assert.False(schedule.WarningDue(Queued, Queued.AddHours(5), warned: true));
        Assert.False(schedule.WarningDue(Queued, Queued + schedule.MaxLifetime, warned: false));
    }

    [Fact]
    public void A_schedule_whose_first_wait_exceeds_the_longest_is_capped()
    {
        var schedule = RetrySchedule.Default with { First = TimeSpan.FromHours(2) };

        Assert.Equal(TimeSpan.FromSeconds(4000), schedule.DelayAfter(1));
    }

    [Fact]
    public void Failures_are_counted_from_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>("failedAttempts", () => RetrySchedule.Default.DelayAfter(0));
    }
}
