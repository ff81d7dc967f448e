using System.Diagnostics;
using RocksDbSharp;

namespace Gateway.Spool;

/// <summary>
/// The spool's RocksDB handle, reopened after a failed write. Why: after an I/O error in a write (ENOSPC on a full
/// disk above all) RocksDB refuses every later write with the same error until the database is reopened, so a node
/// whose disk filled once would answer 452 for ever, even with the disk emptied again (seen on a 24 MB tmpfs). A
/// reopen replays the write-ahead log: what was synced is there, a torn last record is dropped (RocksDB's
/// point-in-time recovery), and a write that failed was answered 452, so no message is half there either way.
/// </summary>
/// <remarks>
/// Every use holds a read lock (RocksDB is thread-safe; the lock only keeps uses away from a reopen), a reopen the
/// write lock. Reopens are tried at most once per <see cref="ReopenInterval"/>: while the disk is still full each
/// attempt fails, and the spool stays closed (reads fail, commits get 452) until one succeeds.
/// </remarks>
internal sealed class SpoolDatabase : IDisposable
{
    public static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly DbOptions _options;
    private readonly ReaderWriterLockSlim _lock = new();
    private RocksDb? _db;
    private long _lastReopen;

    public SpoolDatabase(DbOptions options, string path)
    {
        _options = options;
        _path = path;
        try
        {
            _db = RocksDb.Open(options, path);
        }
        catch (RocksDbException e)
        {
            throw new SpoolOpenError(path, e.Message);
        }
    }

    /// <summary>Runs <paramref name="use"/> with the open database; an IOException when a reopen has not succeeded yet.</summary>
    public T Use<T>(Func<RocksDb, T> use)
    {
        _lock.EnterReadLock();
        try
        {
            return use(_db ?? throw new IOException($"spool {_path} is closed after a write error and not reopened yet (is the disk full?)"));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>After a failed write: reopens the database unless tried less than a second ago; true when it is open anew.</summary>
    public bool TryReopen()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_lastReopen != 0 && Stopwatch.GetElapsedTime(_lastReopen) < ReopenInterval)
            {
                return false;
            }

            _lastReopen = Stopwatch.GetTimestamp();
            _db?.Dispose();
            _db = null;
            try
            {
                _db = RocksDb.Open(_options, _path);
                return true;
            }
            catch (RocksDbException)
            {
                // Still no room (opening writes a new log and manifest): the next failed write tries again.
                return false;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Dispose()
    {
        _lock.EnterWriteLock();
        try
        {
            _db?.Dispose();
            _db = null;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        _lock.Dispose();
    }
}
