using Gateway.Actors.Queue;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;

namespace Gateway.Actors.Tests.Support;

/// <summary>A spool whose commits complete only after the test calls <see cref="Release"/>.</summary>
public sealed class GatedSpool : ISpool
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InMemorySpool Stored { get; } = new();

    /// <summary>Completes when the first commit has been asked for.</summary>
    public Task CommitStarted => _started.Task;

    public void Release() => _gate.TrySetResult();

    public string NewId() => Stored.NewId();

    public async Task CommitAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content)
    {
        _started.TrySetResult();
        await _gate.Task.ConfigureAwait(false);
        await Stored.CommitAsync(envelope, content).ConfigureAwait(false);
    }

    public Task<SpooledMessage?> ReadAsync(string id) => Stored.ReadAsync(id);

    public Task SaveStateAsync(QueueEntry entry) => Stored.SaveStateAsync(entry);

    public Task RemoveAsync(string id) => Stored.RemoveAsync(id);

    public Task<IReadOnlyList<string>> ListAsync() => Stored.ListAsync();
}
