using Gateway.Spool;

namespace Gateway.Tests.Spool;

/// <summary>Queue ids stay unique and in order when the wall clock is set back, or stands still, under many ids.</summary>
public sealed class QueueIdGeneratorTests
{
    [Fact]
    public void Ids_made_after_the_clock_is_set_back_are_unique_and_sort_after_the_earlier_ones()
    {
        var clock = new SteppedClock();
        var ids = new QueueIdGenerator(clock);
        var made = Enumerable.Range(0, 10).Select(_ => ids.Next()).ToList();

        clock.Now -= TimeSpan.FromSeconds(1);
        // More than the 65,536 a millisecond's counter holds, all while the clock stands a second behind.
        made.AddRange(Enumerable.Range(0, 70_000).Select(_ => ids.Next()));

        Assert.Equal(made.Count, made.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(made, made.Order(StringComparer.Ordinal));
    }

    private sealed class SteppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
