using System.Buffers;
using Gateway.Protocol.Framing;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// The command framer driven the way ConnectionActor drives it (Next, then SkipPastCrlf after a TooLong that
/// consumed nothing): the same bytes give the same lines and TooLongs however TCP splits them, no line is
/// longer than the cap, and what stays buffered between reads is under the cap (one CR while skipping).
/// </summary>
public sealed class LineFramerFuzzTests
{
    [Fact]
    public void Any_split_gives_the_same_lines_and_the_buffer_stays_under_the_cap() =>
        FuzzRun.Check(nameof(LineFramerFuzzTests), 5_000, random =>
        {
            var max = random.Next(3) switch { 0 => Limits.CommandLineWithParameters, 1 => Limits.CommandLine, _ => random.Next(2, 40) };
            var wire = Mutate.Bytes(random, Stream(random, max), maxLength: 3 * Limits.CommandLineWithParameters);

            var whole = Feed([wire], max);
            var cuts = random.Cuts(wire.Length);
            var split = Feed(Pieces(wire, cuts), max);

            Assert.Equal(whole.Events, split.Events);
            Assert.Equal(whole.Skipping, split.Skipping);
            Assert.Equal(whole.Left, split.Left);
        });

    public static byte[][] Pieces(byte[] wire, int[] cuts)
    {
        var pieces = new List<byte[]>();
        var start = 0;
        foreach (var cut in cuts.Append(wire.Length))
        {
            pieces.Add(wire[start..cut]);
            start = cut;
        }

        return [.. pieces.Where(p => p.Length > 0)];
    }

    private static byte[] Stream(FuzzRandom random, int max)
    {
        var bytes = new List<byte>();
        var lines = random.Next(1, 6);
        for (var i = 0; i < lines; i++)
        {
            // Lengths at the cap's edge are where an off-by-one lives.
            var length = random.OneIn(2) ? Math.Max(0, max - 2 + random.Next(-2, 3)) : random.Size(max + 8);
            for (var j = 0; j < length; j++)
            {
                bytes.Add(random.OneIn(50) ? random.Pick("\r\n"u8.ToArray()) : (byte)random.Next(0x20, 0x7F));
            }

            bytes.AddRange(random.OneIn(10) ? [(byte)'\n'] : "\r\n"u8.ToArray());
        }

        return [.. bytes];
    }

    private static (List<string> Events, bool Skipping, byte[] Left) Feed(byte[][] chunks, int max)
    {
        var events = new List<string>();
        var skipping = false;
        var left = Array.Empty<byte>();
        foreach (var chunk in chunks)
        {
            // What the actor keeps and what arrives next are separate segments, as in its buffer.
            var sequence = left.Length == 0 ? Segments.Of(chunk) : Segments.Of(left, chunk);
            var reader = new SequenceReader<byte>(sequence);
            while (Step(ref reader, max, ref skipping, events))
            {
            }

            left = sequence.Slice(reader.Position).ToArray();
            Assert.True(skipping ? left.Length <= 1 : left.Length < max, $"{left.Length} bytes held with a cap of {max}");
        }

        return (events, skipping, left);
    }

    /// <summary>One step of ConnectionActor.NextCommand/SkipLine; false when it needs more input.</summary>
    private static bool Step(ref SequenceReader<byte> reader, int max, ref bool skipping, List<string> events)
    {
        if (skipping)
        {
            if (!LineFramer.SkipPastCrlf(ref reader))
            {
                return false;
            }

            skipping = false;
            events.Add("too long");
            return true;
        }

        var before = reader.Consumed;
        switch (LineFramer.Next(ref reader, max, out var line))
        {
            case Gateway.Protocol.Framing.Frame.NeedMore:
                Assert.Equal(before, reader.Consumed);
                return false;
            case Gateway.Protocol.Framing.Frame.TooLong when reader.Consumed == before:
                skipping = true;
                return true;
            case Gateway.Protocol.Framing.Frame.TooLong:
                events.Add("too long");
                return true;
            default:
                Assert.InRange(line.Length + 2, 2, max);
                Assert.Equal(line.Length + 2, reader.Consumed - before);
                events.Add(Convert.ToHexString(line.ToArray()));
                return true;
        }
    }
}
