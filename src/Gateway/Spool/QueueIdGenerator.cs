using System.Security.Cryptography;

namespace Gateway.Spool;

/// <summary>
/// Queue ids that sort by arrival and never repeat on a node: milliseconds since the epoch, a
/// per-process counter, and a random salt chosen at start (so a restart within the same
/// millisecond cannot reuse an id). 20 upper-case hex digits, safe in file names and headers.
/// </summary>
internal sealed class QueueIdGenerator
{
    private readonly ushort _salt = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
    private readonly TimeProvider _clock;
    private int _counter;

    public QueueIdGenerator(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    public string Next()
    {
        var ms = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var count = (ushort)Interlocked.Increment(ref _counter);
        return $"{ms:X12}{count:X4}{_salt:X4}";
    }
}
