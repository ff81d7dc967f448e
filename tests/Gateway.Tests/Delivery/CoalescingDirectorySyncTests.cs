using Gateway.Delivery;
using Gateway.Tests.Support;

namespace Gateway.Tests.Delivery;

public sealed class CoalescingDirectorySyncTests
{
    [Fact]
    public async Task Callers_waiting_behind_a_running_fsync_share_one_more_fsync_and_none_returns_before_it()
    {
        var started = new SemaphoreSlim(0);
        var release = new ManualResetEventSlim();
        var fsyncs = 0;
        var syncer = new CoalescingDirectorySync(_ =>
        {
            if (Interlocked.Increment(ref fsyncs) == 1)
            {
                started.Release();
                release.Wait();
            }
        });

        var first = Task.Run(() => syncer.Sync("/maildir/new"));
        await started.WaitAsync();
        var waiting = Enumerable.Range(0, 10).Select(_ => Task.Run(() => syncer.Sync("/maildir/new"))).ToArray();
        await Eventually.UntilAsync(() => syncer.Requested("/maildir/new"), n => n >= 11, "the ten renames counted behind the first", TimeSpan.FromSeconds(20));

        // The first fsync began before the ten renames were counted: it cannot cover them.
        Assert.All(waiting, t => Assert.False(t.IsCompleted));
        release.Set();
        await Task.WhenAll([first, .. waiting]);

        Assert.Equal(2, fsyncs);
    }

    [Fact]
    public void Different_directories_are_synced_separately()
    {
        var synced = new List<string>();
        var syncer = new CoalescingDirectorySync(synced.Add);

        syncer.Sync("/a/new");
        syncer.Sync("/b/new");
        syncer.Sync("/a/new");

        Assert.Equal(["/a/new", "/b/new", "/a/new"], synced);
    }
}
