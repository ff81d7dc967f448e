namespace Gateway.Tests.Support;

public sealed class EventuallyTests
{
    [Fact]
    public async Task The_first_wanted_observation_is_returned()
    {
        var seen = 0;

        var result = await Eventually.UntilAsync(() => ++seen, n => n == 3, "the third observation");

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task Past_the_deadline_it_fails_naming_what_was_awaited_and_the_last_observation()
    {
        var error = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(
            () => Eventually.UntilAsync(() => 41, n => n == 42, "the answer", TimeSpan.Zero));

        Assert.Equal("not within 0 s: the answer; the last observation was 41", error.Message);
    }
}
