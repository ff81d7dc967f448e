using RocksDbSharp;

namespace Gateway.Spool;

/// <summary>
/// The spool's one writer thread. It takes every write waiting at that moment into one WriteBatch
/// and, when the batch holds a commit, syncs the WAL once for all of them (group commit): no
/// thread-pool thread ever blocks on fsync, and N concurrent sessions cost one sync. A commit
/// completes only after that sync; if the write fails, every write in the batch fails and none of
/// the commits is announced to the queue.
/// Removal after delivery is not synced on its own: if it is lost in a crash, the message is
/// delivered again as a possible repeat, and Maildir delivery skips what it already has.
/// </summary>
internal sealed class SpoolWriter : IDisposable
{
    // RocksDB's WriteBatch holds at most this many writes before the sync; more wait for the next one.
    private const int MostPerBatch = 256;

    private readonly SpoolDatabase _db;
    private readonly WriteOptions _synced = new WriteOptions().SetSync(true);
    private readonly WriteOptions _unsynced = new WriteOptions().SetSync(false);
    // The writer thread sleeps in Monitor.Wait, not in a blocking wait on a task: Task.Wait spins
    // (SpinWait, sched_yield) before it blocks, and perf showed that spin as 15% of the node's
    // sched_yield calls under load, on a 2-core machine where the clients need that CPU.
    // An object, not a System.Threading.Lock: Monitor.Wait/Pulse need a Monitor lock.
    private readonly object _gate = new();
    private readonly Queue<Pending> _writes = new();
    private bool _writerAsleep;
    private bool _closed;
    private readonly Thread _thread;

    public SpoolWriter(SpoolDatabase db)
    {
        _db = db;
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "spool-writer" };
        _thread.Start();
    }

    /// <summary>
    /// Stores <paramref name="parts"/>, concatenated, under <paramref name="key"/> and completes after the sync.
    /// RocksDB joins the parts itself (PutVector, RocksDB's SliceParts), so a message's segments are never
    /// copied into one managed array: for a 10 MB message that array was 10 MB on the large object heap per
    /// message (bench/SpoolBench). The parts must not change until the task completes.
    /// </summary>
    public Task Commit(byte[] key, ReadOnlyMemory<byte>[] parts) => Enqueue(new Put(key, parts, NewCompletion()));

    /// <summary>Deletes <paramref name="key"/>; synced only when it shares a batch with a commit.</summary>
    public Task Remove(params byte[][] keys) => Enqueue(new Delete(keys, NewCompletion()));

    /// <summary>Writes what is queued, then stops the thread; later writes fail with an IOException.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task Enqueue(Pending pending)
    {
        lock (_gate)
        {
            if (_closed)
            {
                pending.Done.SetException(new IOException("spool is closed"));
                return pending.Done.Task;
            }

            _writes.Enqueue(pending);
            // While the writer is busy (syncing), writes only queue up for its next batch: no wake-up.
            if (_writerAsleep)
            {
                Monitor.Pulse(_gate);
            }
        }

        return pending.Done.Task;
    }

    private void WriteLoop()
    {
        var batch = new List<Pending>(64);
        while (TakeBatch(batch))
        {
            Write(batch);
            batch.Clear();
        }
    }

    /// <summary>Waits for writes and takes up to <see cref="MostPerBatch"/>; false once closed and drained.</summary>
    private bool TakeBatch(List<Pending> batch)
    {
        lock (_gate)
        {
            while (_writes.Count == 0)
            {
                if (_closed)
                {
                    return false;
                }

                _writerAsleep = true;
                Monitor.Wait(_gate);
                _writerAsleep = false;
            }

            while (batch.Count < MostPerBatch && _writes.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            return true;
        }
    }

    /// <summary>
    /// Writes the batch; if it fails, reopens the database (a full disk leaves RocksDB refusing writes until then) and,
    /// if that worked, tries once more: the first commit after the disk has room again succeeds.
    /// </summary>
    private void Write(List<Pending> batch)
    {
        if (TryWrite(batch) is not { } failure)
        {
            return;
        }

        if (_db.TryReopen() && TryWrite(batch) is null)
        {
            return;
        }

        foreach (var pending in batch)
        {
            pending.Done.SetException(new IOException($"spool write failed: {failure.Message}", failure));
        }
    }

    /// <summary>Null when written (and each pending write completed); else why not, with nothing completed.</summary>
    private Exception? TryWrite(List<Pending> batch)
    {
        try
        {
            using var writeBatch = new WriteBatch();
            var commits = false;
            foreach (var pending in batch)
            {
                switch (pending)
                {
                    case Put put:
                        writeBatch.PutVector(put.Key, put.Parts);
                        commits = true;
                        break;
                    case Delete delete:
                        // Every key of one removal in one batch: a message and its queue entry go together.
                        foreach (var key in delete.Keys)
                        {
                            writeBatch.Delete(key);
                        }

                        break;
                }
            }

            // A commit is acknowledged with 250 only after this sync; removals alone need none (above).
            var options = commits ? _synced : _unsynced;
            _db.Use(db =>
            {
                db.Write(writeBatch, options);
                return true;
            });
            foreach (var pending in batch)
            {
                pending.Done.SetResult();
            }

            return null;
        }
#pragma warning disable CA1031 // A failed write fails these writes (452 4.3.1 for commits); the writer thread lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }

    private abstract record Pending(TaskCompletionSource Done);

    private sealed record Put(byte[] Key, ReadOnlyMemory<byte>[] Parts, TaskCompletionSource Done) : Pending(Done);

    private sealed record Delete(byte[][] Keys, TaskCompletionSource Done) : Pending(Done);
}
