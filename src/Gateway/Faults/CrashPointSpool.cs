using Gateway.Actors.Queue;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;

namespace Gateway.Faults;

/// <summary>The spool with the <c>data</c> and <c>committed</c> crash points around its commit (test hook, see <see cref="CrashPoint"/>).</summary>
internal sealed class CrashPointSpool(ISpool inner, CrashPoint point) : ISpool
{
    public string NewId() => inner.NewId();

    public async Task CommitAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content)
    {
        point.Reached(CrashPlace.Data);
        await inner.CommitAsync(envelope, content).ConfigureAwait(false);
        point.Reached(CrashPlace.Committed);
    }

    public Task<SpooledMessage?> ReadAsync(string id) => inner.ReadAsync(id);

    public Task SaveStateAsync(QueueEntry entry) => inner.SaveStateAsync(entry);

    public Task RemoveAsync(string id) => inner.RemoveAsync(id);

    public Task<IReadOnlyList<string>> ListAsync() => inner.ListAsync();
}
