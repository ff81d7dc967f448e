using System.Diagnostics;

namespace Gateway.Tests.Support;

/// <summary>
/// Waits for what happens in the background with no event a test can await (a map reload, a delivery, cluster
/// gossip, a freed connection slot): observes again every few milliseconds until the observation is the wanted
/// one, and past the deadline fails naming what was awaited and what was seen last.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <returns>The first wanted observation.</returns>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> wanted, string what, TimeSpan? timeout = null, Func<T, string>? describe = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var last = await observe().ConfigureAwait(false);
            if (wanted(last))
            {
                return last;
            }

            if (clock.Elapsed >= limit)
            {
                Assert.Fail($"not within {limit.TotalSeconds} s: {what}; the last observation was {(describe is null ? last?.ToString() : describe(last)) ?? "null"}");
            }

            await Task.Delay(Poll).ConfigureAwait(false);
        }
    }

    /// <returns>The first wanted observation.</returns>
    public static Task<T> UntilAsync<T>(Func<T> observe, Func<T, bool> wanted, string what, TimeSpan? timeout = null, Func<T, string>? describe = null) =>
        UntilAsync(() => Task.FromResult(observe()), wanted, what, timeout, describe);
}
