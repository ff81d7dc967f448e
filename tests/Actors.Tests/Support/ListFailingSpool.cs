using Gateway.Actors.Queue;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;

namespace Gateway.Actors.Tests.Support;

/// <summary>A spool whose first <paramref name="failures"/> listings fault, as a spool still being repaired would.</summary>
public sealed class ListFailingSpool(int failures) : ISpool
{
    private int _failuresLeft = failures;

    public InMemorySpool Stored { get; } = new();

    public string NewId() => Stored.NewId();

    public Task CommitAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content) => Stored.CommitAsync(envelope, content);

    public Task<SpooledMessage?> ReadAsync(string id) => Stored.ReadAsync(id);

    public Task SaveStateAsync(QueueEntry entry) => Stored.SaveStateAsync(entry);

    public Task RemoveAsync(string id) => Stored.RemoveAsync(id);

    public Task<IReadOnlyList<string>> ListAsync() =>
        Interlocked.Decrement(ref _failuresLeft) >= 0
            ? Task.FromException<IReadOnlyList<string>>(new IOException("Input/output error"))
            : Stored.ListAsync();
}
