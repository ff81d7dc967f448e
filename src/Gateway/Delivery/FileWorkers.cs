namespace Gateway.Delivery;

/// <summary>
/// Dedicated threads for blocking file work (open, write, fsync, rename, directory fsync, RocksDB
/// reads). .NET has no asynchronous fsync, so run on the thread pool it would block the threads that
/// Akka's dispatcher and socket completions need: measured here, that starved sessions and tripled p99.
/// Idle workers wait on a monitor, which blocks at once: BlockingCollection's semaphore spins first, and with a
/// worker woken for every spool read that spinning took 8% of the node's CPU in the relay benchmark's profile.
/// </summary>
internal sealed class FileWorkers : IDisposable
{
    private readonly Queue<Action> _work = new();
    // An object, not a Lock: Monitor.Wait and Pulse need the monitor that lock() takes on it.
    private readonly object _gate = new();
    private readonly Thread[] _threads;
    private bool _stopped;

    public FileWorkers(int count, string name)
    {
        _threads = [.. Enumerable.Range(0, count).Select(i => new Thread(Loop) { IsBackground = true, Name = $"{name}-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a worker; the task completes when it has run, or with its exception.</summary>
    public Task RunAsync(Action work) => RunAsync(() =>
    {
        work();
        return true;
    });

    /// <summary>Runs <paramref name="work"/> on a worker; the task completes with its result or exception.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stopped)
            {
                done.SetException(new IOException("file workers are stopped"));
                return done.Task;
            }

            _work.Enqueue(() =>
            {
                try
                {
                    done.SetResult(work());
                }
#pragma warning disable CA1031 // The exception belongs to the caller; the worker thread lives on.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    done.SetException(e);
                }
            });
            Monitor.Pulse(_gate);
        }

        return done.Task;
    }

    /// <summary>Work already queued still runs; then the threads end.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void Loop()
    {
        while (true)
        {
            Action work;
            lock (_gate)
            {
                while (_work.Count == 0)
                {
                    if (_stopped)
                    {
                        return;
                    }

                    Monitor.Wait(_gate);
                }

                work = _work.Dequeue();
            }

            work();
        }
    }
}
