using System.Security.Cryptography;

namespace Gateway.Spool;

/// <summary>
/// Queue ids that sort by creation and never repeat on a node: milliseconds since the epoch, a counter within that
/// millisecond, and a random salt chosen at start (so a restart within the same millisecond cannot reuse an id).
/// 20 upper-case hex digits, safe in file names and headers. The millisecond never goes back within a process: after
/// the wall clock is set back, ids go on from the last one (the counter carrying into the millisecond) until the clock
/// catches up. Read again on each call, a clock set back would repeat (millisecond, counter) pairs, and an id used
/// twice would overwrite a message still in the spool.
/// </summary>
internal sealed class QueueIdGenerator
{
    private readonly ushort _salt = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private long _ms;
    private int _counter;

    public QueueIdGenerator(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    public string Next()
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        long ms;
        int count;
        lock (_gate)
        {
            if (now > _ms)
            {
                (_ms, _counter) = (now, 0);
            }
            else if (++_counter > ushort.MaxValue)
            {
                (_ms, _counter) = (_ms + 1, 0);
            }

            (ms, count) = (_ms, _counter);
        }

        return $"{ms:X12}{count:X4}{_salt:X4}";
    }
}
