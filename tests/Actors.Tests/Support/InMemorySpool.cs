using Gateway.Actors.Queue;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;

namespace Gateway.Actors.Tests.Support;

/// <summary>An <see cref="ISpool"/> in memory: ids m1, m2, …; it records removals and when it was first listed.</summary>
public sealed class InMemorySpool : ISpool
{
    private readonly Lock _lock = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, SpooledMessage> _messages = [];
    private readonly List<string> _removed = [];
    private readonly List<QueueEntry> _saved = [];
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _next;

    /// <summary>Completes once <see cref="ListAsync"/> has taken its snapshot.</summary>
    public Task Listed => _listed.Task;

    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (_lock)
            {
                return [.. _order];
            }
        }
    }

    public IReadOnlyList<string> Removed
    {
        get
        {
            lock (_lock)
            {
                return [.. _removed];
            }
        }
    }

    public string NewId() => $"m{Interlocked.Increment(ref _next)}";

    public Task CommitAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content)
    {
        var bytes = content.SelectMany(segment => segment.ToArray()).ToArray();
        lock (_lock)
        {
            _order.Add(envelope.Id);
            _messages[envelope.Id] = new SpooledMessage(envelope, bytes);
        }

        return Task.CompletedTask;
    }

    public Task<SpooledMessage?> ReadAsync(string id)
    {
        lock (_lock)
        {
            return Task.FromResult(_messages.GetValueOrDefault(id));
        }
    }

    public Task SaveStateAsync(QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            if (_messages.TryGetValue(entry.Id, out var message))
            {
                _messages[entry.Id] = message with { State = entry };
                _saved.Add(entry);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Every queue entry saved, in order.</summary>
    public IReadOnlyList<QueueEntry> Saved
    {
        get
        {
            lock (_lock)
            {
                return [.. _saved];
            }
        }
    }

    public Task RemoveAsync(string id)
    {
        lock (_lock)
        {
            _messages.Remove(id);
            _order.Remove(id);
            _removed.Add(id);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync()
    {
        var ids = Ids;
        _listed.TrySetResult();
        return Task.FromResult(ids);
    }

    public SpooledMessage Get(string id)
    {
        lock (_lock)
        {
            return _messages.TryGetValue(id, out var message) ? message : throw new KeyNotFoundException(id);
        }
    }

    /// <summary>Stores a small message under <paramref name="id"/>, as if a connection had committed it.</summary>
    public void Seed(string id, params string[] recipients) => Seed(id, new Mailbox("a", "example.net"), recipients);

    public void Seed(string id, Mailbox? sender, params string[] recipients) => Seed(id, sender, DateTimeOffset.UtcNow, recipients);

    public void Seed(string id, Mailbox? sender, DateTimeOffset receivedAt, params string[] recipients)
    {
        var envelope = new Envelope(
            id,
            sender,
            MailParameters.None,
            recipients.Length == 0
                ? [new Recipient(new Mailbox("b", "example.org"), RcptParameters.None)]
                : [.. recipients.Select(r => new Recipient(new Mailbox(r.Split('@')[0], r.Split('@')[1]), RcptParameters.None))],
            "client.example",
            "127.0.0.1",
            "ESMTP",
            receivedAt);
        CommitAsync(envelope, ["Subject: seeded\r\n\r\nHello\r\n"u8.ToArray()]).GetAwaiter().GetResult();
    }
}
