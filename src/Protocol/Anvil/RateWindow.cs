namespace Gateway.Protocol.Anvil;

/// <summary>
/// Connections begun in the last minute, in six 10-second slots: the count covers the last 50 to 60 seconds, so a
/// client is never held back longer than a minute after its burst (Postfix's anvil counts per fixed minute, which
/// can let twice the rate through across a boundary; slots bound that to one slot's worth).
/// </summary>
public sealed class RateWindow
{
    public static readonly TimeSpan Slot = TimeSpan.FromSeconds(10);

    private const int Slots = 6;

    private readonly int[] _counts = new int[Slots];
    private long _lastSlot = long.MinValue;

    /// <summary>Connections counted in the window that ends at <paramref name="now"/>.</summary>
    public int Count(TimeSpan now)
    {
        Advance(now);
        return _counts.Sum();
    }

    public void Add(TimeSpan now)
    {
        Advance(now);
        _counts[(int)(_lastSlot % Slots)]++;
    }

    /// <summary>Empties the slots that have passed since the last call; time never runs backwards here.</summary>
    private void Advance(TimeSpan now)
    {
        var slot = Math.Max(0, now.Ticks) / Slot.Ticks;
        if (_lastSlot == long.MinValue)
        {
            _lastSlot = slot;
            return;
        }

        if (slot <= _lastSlot)
        {
            return;
        }

        var passed = Math.Min(slot - _lastSlot, Slots);
        for (var s = _lastSlot + 1; s <= _lastSlot + passed; s++)
        {
            _counts[(int)(s % Slots)] = 0;
        }

        _lastSlot = slot;
    }
}
