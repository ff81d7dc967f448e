namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// SplitMix64: a tiny seeded generator, one per input, so that any single input can be replayed from its seed
/// and index alone (System.Random's seeded constructor costs a 56-word table per input).
/// </summary>
public sealed class FuzzRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 ≤ result &lt; <paramref name="max"/> (0 when max ≤ 0).</summary>
    public int Next(int max) => max <= 0 ? 0 : (int)(NextUInt64() % (ulong)max);

    /// <summary>min ≤ result &lt; max.</summary>
    public int Next(int min, int max) => min + Next(max - min);

    public long NextLong(long max) => max <= 0 ? 0 : (long)(NextUInt64() % (ulong)max);

    /// <summary>True one time in <paramref name="n"/>.</summary>
    public bool OneIn(int n) => Next(n) == 0;

    public byte NextByte() => (byte)NextUInt64();

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = NextByte();
        }

        return bytes;
    }

    /// <summary>
    /// Sizes skewed towards the small, with an occasional long one: most bugs live at 0, 1 and the edges,
    /// while caps are only reached by long runs.
    /// </summary>
    public int Size(int max) => Next(4) switch
    {
        0 => Next(Math.Min(max, 4) + 1),
        1 => Next(Math.Min(max, 32) + 1),
        2 => Next(Math.Min(max, 256) + 1),
        _ => Next(max + 1),
    };

    /// <summary>Cut points for splitting <paramref name="length"/> bytes into pieces, as TCP may deliver them.</summary>
    public int[] Cuts(int length)
    {
        if (length <= 1)
        {
            return [];
        }

        var count = OneIn(8) ? Math.Min(length - 1, 64) : Next(1, Math.Min(length, 6));
        var cuts = new SortedSet<int>();
        for (var i = 0; i < count; i++)
        {
            cuts.Add(OneIn(4) ? i + 1 : Next(1, length));
        }

        return [.. cuts];
    }
}
