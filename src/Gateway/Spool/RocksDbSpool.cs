using System.Text;
using Gateway.Actors.Queue;
using Gateway.Delivery;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;
using RocksDbSharp;

namespace Gateway.Spool;

/// <summary>
/// The node's spool in RocksDB. No RocksDB call runs on the caller's thread, which is an actor's or
/// the dispatcher's: commits and removals go to the one writer thread (<see cref="SpoolWriter"/>,
/// group commit, synced before 250), reads and listings to two reader threads. Every method
/// returns at once with a task that completes there, and the actors take the result with PipeTo.
/// </summary>
internal sealed class RocksDbSpool : ISpool, IDisposable
{
    // Reads are not batched like writes, so they get threads of their own rather than the writer's
    // queue: a 10 MB read takes about 20 ms here, and must not hold up the sync that 250s wait for.
    // Two, so that one large read does not hold up a small one.
    private const int Readers = 2;

    private static readonly byte[] Prefix = "m/"u8.ToArray();

    // The queue entry of a message (its delivery state), written after attempts; the message itself never changes.
    private static readonly byte[] StatePrefix = "s/"u8.ToArray();

    private readonly SpoolDatabase _db;
    private readonly SpoolWriter _writer;
    private readonly FileWorkers _readers = new(Readers, "spool-reader");
    private readonly QueueIdGenerator _ids = new();

    public RocksDbSpool(string directory)
    {
        Directory.CreateDirectory(directory);
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            // Mail bodies compress poorly relative to the CPU spent; the spool is short-lived.
            .SetCompression(Compression.No);
        _db = new SpoolDatabase(options, Path.Combine(directory, "spool.rocksdb"));
        _writer = new SpoolWriter(_db);
    }

    public string NewId() => _ids.Next();

    public Task CommitAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content) =>
        _writer.Commit(Key(envelope.Id), [SpoolCodec.Header(envelope), .. content]);

    public Task<SpooledMessage?> ReadAsync(string id) => _readers.RunAsync(() => _db.Use(db =>
    {
        var value = db.Get(Key(id));
        if (value is null)
        {
            return null;
        }

        var (envelope, content) = SpoolCodec.Decode(value);
        var state = db.Get(StateKey(id)) is { } stored ? SpoolCodec.DecodeEntry(stored) : null;
        return new SpooledMessage(envelope, content) { State = state };
    }));

    public Task SaveStateAsync(QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _writer.Commit(StateKey(entry.Id), [SpoolCodec.Entry(entry)]);
    }

    public Task RemoveAsync(string id) => _writer.Remove(Key(id), StateKey(id));

    public Task<IReadOnlyList<string>> ListAsync() => _readers.RunAsync(() => _db.Use(List));

    public void Dispose()
    {
        _readers.Dispose();
        _writer.Dispose();
        _db.Dispose();
    }

    private static byte[] Key(string id) => [.. Prefix, .. Encoding.ASCII.GetBytes(id)];

    private static byte[] StateKey(string id) => [.. StatePrefix, .. Encoding.ASCII.GetBytes(id)];

    private static IReadOnlyList<string> List(RocksDb db)
    {
        var ids = new List<string>();
        using var iterator = db.NewIterator();
        for (iterator.Seek(Prefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.Key();
            if (!key.AsSpan().StartsWith(Prefix))
            {
                break;
            }

            ids.Add(Encoding.ASCII.GetString(key, Prefix.Length, key.Length - Prefix.Length));
        }

        return ids;
    }
}
