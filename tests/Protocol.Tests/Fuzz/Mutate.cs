namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// Mutations applied to valid inputs, so generated inputs stay close enough to the grammar to reach the parsers'
/// deep paths: bit flips, truncations, inserted CR, LF, NUL and 8-bit bytes, duplicated slices and long runs.
/// </summary>
public static class Mutate
{
    private static readonly byte[] Specials = [(byte)'\r', (byte)'\n', 0, 0x80, 0xFF, 0xC3, (byte)' ', (byte)'\t', (byte)'.', (byte)':', (byte)'<', (byte)'>', (byte)'+', (byte)'\\', (byte)'/', (byte)'='];

    /// <summary>Applies zero to a few mutations; about one input in four comes back unchanged.</summary>
    public static byte[] Bytes(FuzzRandom random, byte[] input, int maxLength = 1 << 16)
    {
        var bytes = new List<byte>(input);
        var rounds = random.Next(4) switch { 0 => 0, 1 => 1, 2 => 2, _ => random.Next(3, 9) };
        for (var round = 0; round < rounds; round++)
        {
            Once(random, bytes);
            if (bytes.Count > maxLength)
            {
                bytes.RemoveRange(maxLength, bytes.Count - maxLength);
            }
        }

        return [.. bytes];
    }

    private static void Once(FuzzRandom random, List<byte> bytes)
    {
        var at = random.Next(bytes.Count + 1);
        switch (random.Next(9))
        {
            case 0 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 2:
                bytes.Insert(at, random.Pick(Specials));
                break;
            case 3:
                bytes.Insert(at, random.NextByte());
                break;
            case 4 when bytes.Count > 0:
                bytes.RemoveAt(Math.Min(at, bytes.Count - 1));
                break;
            case 5 when at < bytes.Count:
                var length = random.Next(1, Math.Min(bytes.Count - at, 64) + 1);
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
            case 6:
                // A long run: the shape that reaches size caps and quadratic corners.
                var run = random.OneIn(4) ? random.Next(256, 4096) : random.Next(2, 64);
                bytes.InsertRange(at, Enumerable.Repeat(random.OneIn(2) ? random.Pick(Specials) : random.NextByte(), run));
                break;
            case 7 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] = random.Pick(Specials);
                break;
            default:
                bytes.InsertRange(at, "\r\n"u8.ToArray());
                break;
        }
    }
}
