using System.Collections.Concurrent;

namespace Gateway.Delivery;

/// <summary>
/// Dedicated threads for blocking file work (open, write, fsync, rename, directory fsync, RocksDB
/// reads). .NET has no asynchronous fsync, so run on the thread pool it would block the threads that
/// Akka's dispatcher and socket completions need: measured here, that starved sessions and tripled p99.
/// </summary>
internal sealed class FileWorkers : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread[] _threads;

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
        try
        {
            _work.Add(() =>
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
        }
        catch (InvalidOperationException)
        {
            done.SetException(new IOException("file workers are stopped"));
        }

        return done.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _work.Dispose();
    }

    private void Loop()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
