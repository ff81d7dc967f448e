using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;

namespace Gateway.Actors.Queue;

/// <summary>
/// Durable storage of accepted messages, implemented in Gateway (RocksDB) and by test doubles.
/// A message is in the spool from the moment <see cref="CommitAsync"/> completes until its next hop
/// has taken it and <see cref="RemoveAsync"/> is called.
/// Every method is called from an actor and must return at once: the storage work runs on threads
/// of the implementation's own, and the actor takes the task's result as a message (PipeTo).
/// </summary>
public interface ISpool
{
    /// <summary>A new queue id, unique on this node and across restarts.</summary>
    string NewId();

    /// <summary>
    /// Completes only when envelope and content are on stable storage; faults on any storage error.
    /// The content's segments are stored as they are, not copied first, so they must not change until
    /// the task completes (the connection starts a new MessageContent for its next message).
    /// </summary>
    Task CommitAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content);

    /// <summary>The committed message, or null when it is no longer in the spool.</summary>
    Task<SpooledMessage?> ReadAsync(string id);

    /// <summary>
    /// Stores the message's queue entry (replacing the last one); completes when it is on stable storage. A message
    /// must be in the spool: the entry is removed with it.
    /// </summary>
    Task SaveStateAsync(QueueEntry entry);

    /// <summary>Takes the message and its queue entry out of the spool; need not be on stable storage when it completes.</summary>
    Task RemoveAsync(string id);

    /// <summary>Ids of every committed message still in the spool, oldest first.</summary>
    Task<IReadOnlyList<string>> ListAsync();
}
