using System.Collections.Concurrent;
using Gateway.Actors.Delivery;
using Gateway.Actors.Queue;

namespace Gateway.Actors.Tests.Support;

/// <summary>
/// A local delivery that records every attempt. When <paramref name="gated"/>, each attempt waits for
/// <see cref="Release"/>; <see cref="FailOnce"/> makes the next attempt for an id fault.
/// </summary>
public sealed class FakeDelivery(bool gated = false) : IMailDelivery
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, bool> _failNext = new();
    private readonly ConcurrentQueue<DeliveryAttempt> _attempts = new();
    private readonly ConcurrentQueue<SpooledMessage> _messages = new();
    private int _running;
    private int _mostAtOnce;

    public IReadOnlyList<DeliveryAttempt> Attempts => [.. _attempts];

    /// <summary>Every message handed over, as read from the spool.</summary>
    public IReadOnlyList<SpooledMessage> Messages => [.. _messages];

    /// <summary>The most attempts that were running at the same moment.</summary>
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    public void Release() => _gate.TrySetResult();

    public void FailOnce(string id) => _failNext[id] = true;

    public async Task DeliverAsync(SpooledMessage message, IReadOnlyList<int> recipients, bool mayBeRepeat)
    {
        var running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _mostAtOnce, running);
        try
        {
            _attempts.Enqueue(new DeliveryAttempt(message.Envelope.Id, mayBeRepeat) { Recipients = recipients });
            _messages.Enqueue(message);
            if (gated)
            {
                await _gate.Task.ConfigureAwait(false);
            }

            if (_failNext.TryRemove(message.Envelope.Id, out _))
            {
                throw new IOException("next hop unavailable");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
