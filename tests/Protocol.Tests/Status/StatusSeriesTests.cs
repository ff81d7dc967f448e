using Gateway.Protocol.Status;

namespace Gateway.Protocol.Tests.Status;

public sealed class StatusSeriesTests
{
    [Fact]
    public void Points_are_kept_oldest_first_and_the_oldest_falls_off_at_capacity()
    {
        var series = StatusSeries.Empty(10);
        for (var i = 1; i <= 5; i++)
        {
            series = series.Append(i, 10 * i, 100 * i, capacity: 3);
        }

        Assert.Equal(10, series.IntervalSeconds);
        Assert.Equal([3, 4, 5], series.Sessions);
        Assert.Equal([30, 40, 50], series.Messages);
        Assert.Equal([300, 400, 500], series.Handshakes);
    }

    [Fact]
    public void Appending_leaves_the_earlier_series_unchanged()
    {
        var first = StatusSeries.Empty().Append(1, 2, 3);
        var second = first.Append(4, 5, 6);

        Assert.Equal([1], first.Sessions);
        Assert.Equal([1, 4], second.Sessions);
    }

    [Fact]
    public void The_default_is_fifteen_minutes_of_ten_second_points()
    {
        var series = StatusSeries.Empty();
        for (var i = 0; i < 200; i++)
        {
            series = series.Append(i, 0, 0);
        }

        Assert.Equal(15 * 60, series.IntervalSeconds * series.Sessions.Count);
        Assert.Equal(199, series.Sessions[^1]);
    }

    [Fact]
    public void A_capacity_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusSeries.Empty().Append(1, 1, 1, capacity: 0));
}
