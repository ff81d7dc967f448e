using System.Collections.Concurrent;

namespace Gateway.Delivery;

/// <summary>
/// Directory fsyncs shared between concurrent deliveries into the same directory (group commit
/// again, as in the spool): a caller whose rename is already covered by an fsync that started
/// after it returns at once. Invariant: every caller returns only after an fsync of the directory
/// that began after its own rename, so each new entry is durable before the message leaves the
/// spool.
/// </summary>
internal sealed class CoalescingDirectorySync
{
    private sealed class State
    {
        public readonly Lock Counters = new();
        public readonly Lock Syncing = new();
        public long Requested;
        public long Completed;
    }

    private readonly ConcurrentDictionary<string, State> _directories = new(StringComparer.Ordinal);
    private readonly Action<string> _fsync;

    public CoalescingDirectorySync(Action<string>? fsync = null) => _fsync = fsync ?? DirectorySync.Sync;

    /// <summary>How many syncs of <paramref name="directory"/> have been asked for so far (for tests).</summary>
    internal long Requested(string directory)
    {
        var state = _directories.GetOrAdd(directory, _ => new State());
        lock (state.Counters)
        {
            return state.Requested;
        }
    }

    /// <summary>Call after the rename into <paramref name="directory"/>; returns once that rename is durable.</summary>
    public void Sync(string directory)
    {
        var state = _directories.GetOrAdd(directory, _ => new State());
        long mine;
        lock (state.Counters)
        {
            mine = ++state.Requested;
        }

        lock (state.Syncing)
        {
            long covers;
            lock (state.Counters)
            {
                if (state.Completed >= mine)
                {
                    return;
                }

                // Every request counted so far had renamed before it was counted.
                covers = state.Requested;
            }

            _fsync(directory);
            lock (state.Counters)
            {
                state.Completed = covers;
            }
        }
    }
}
