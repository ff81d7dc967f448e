using Gateway.Protocol.Mail;

namespace Gateway.Actors.Queue;

/// <summary>
/// Durable storage of accepted messages, implemented in Gateway (RocksDB) and by test doubles.
/// A message is in the spool from the moment <see cref="CommitAsync"/> completes until its next hop
/// has taken it and <see cref="RemoveAsync"/> is called.
/// </summary>
public interface ISpool
{
    /// <summary>A new queue id, unique on this node and across restarts.</summary>
    string NewId();

    /// <summary>Completes only when envelope and content are on stable storage; faults on any storage error.</summary>
    Task CommitAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content);

    Task<SpooledMessage?> ReadAsync(string id);

    Task RemoveAsync(string id);

    /// <summary>Ids of every committed message still in the spool, oldest first.</summary>
    Task<IReadOnlyList<string>> ListAsync();
}
