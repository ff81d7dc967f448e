using System.Text;
using System.Threading.Channels;
using Gateway.Actors.Queue;
using Gateway.Protocol.Mail;
using RocksDbSharp;

namespace Gateway.Spool;

/// <summary>
/// The node's spool in RocksDB. Commits are written by one writer thread that takes every commit
/// waiting at that moment into one WriteBatch and syncs the WAL once for all of them (group
/// commit): no thread-pool thread ever blocks on fsync, and N concurrent sessions cost one sync.
/// A commit completes only after that sync; if it fails, every message in the batch fails and
/// none of them is announced to the queue.
/// Removal after delivery is not synced: if it is lost in a crash, the message is delivered
/// again as a possible repeat, and Maildir delivery skips what it already has.
/// </summary>
internal sealed class RocksDbSpool : ISpool, IDisposable
{
    private static readonly byte[] Prefix = "m/"u8.ToArray();

    private readonly RocksDb _db;
    private readonly WriteOptions _synced = new WriteOptions().SetSync(true);
    private readonly WriteOptions _unsynced = new WriteOptions().SetSync(false);
    private readonly Channel<PendingCommit> _commits = Channel.CreateUnbounded<PendingCommit>(new() { SingleReader = true });
    private readonly Thread _writer;
    private readonly QueueIdGenerator _ids = new();

    private sealed record PendingCommit(byte[] Key, byte[] Value, TaskCompletionSource Done);

    public RocksDbSpool(string directory)
    {
        Directory.CreateDirectory(directory);
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            // Mail bodies compress poorly relative to the CPU spent; the spool is short-lived.
            .SetCompression(Compression.No);
        _db = RocksDb.Open(options, Path.Combine(directory, "spool.rocksdb"));
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "spool-writer" };
        _writer.Start();
    }

    public string NewId() => _ids.Next();

    public Task CommitAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new PendingCommit(Key(envelope.Id), SpoolCodec.Encode(envelope, content), done);
        if (!_commits.Writer.TryWrite(pending))
        {
            done.SetException(new IOException("spool is closed"));
        }

        return done.Task;
    }

    public Task<SpooledMessage?> ReadAsync(string id)
    {
        var value = _db.Get(Key(id));
        if (value is null)
        {
            return Task.FromResult<SpooledMessage?>(null);
        }

        var (envelope, content) = SpoolCodec.Decode(value);
        return Task.FromResult<SpooledMessage?>(new SpooledMessage(envelope, content));
    }

    public Task RemoveAsync(string id)
    {
        _db.Remove(Key(id), null, _unsynced);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync()
    {
        var ids = new List<string>();
        using var iterator = _db.NewIterator();
        for (iterator.Seek(Prefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.Key();
            if (!key.AsSpan().StartsWith(Prefix))
            {
                break;
            }

            ids.Add(Encoding.ASCII.GetString(key, Prefix.Length, key.Length - Prefix.Length));
        }

        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    public void Dispose()
    {
        _commits.Writer.TryComplete();
        _writer.Join();
        _db.Dispose();
    }

    private static byte[] Key(string id) => [.. Prefix, .. Encoding.ASCII.GetBytes(id)];

    private void WriteLoop()
    {
        var reader = _commits.Reader;
        var batch = new List<PendingCommit>(64);
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < 256 && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            Write(batch);
            batch.Clear();
        }
    }

    private void Write(List<PendingCommit> batch)
    {
        try
        {
            using var writeBatch = new WriteBatch();
            foreach (var commit in batch)
            {
                writeBatch.Put(commit.Key, commit.Value);
            }

            _db.Write(writeBatch, _synced);
            foreach (var commit in batch)
            {
                commit.Done.SetResult();
            }
        }
#pragma warning disable CA1031 // A failed write fails these commits (452 4.3.1); the writer thread lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var commit in batch)
            {
                commit.Done.SetException(new IOException($"spool write failed: {e.Message}", e));
            }
        }
    }
}
