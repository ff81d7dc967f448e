using System.Buffers;
using Gateway.Protocol.Framing;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// BDAT (RFC 3030 §2): a run of chunks is read to exactly the announced sizes whatever the split, so the bytes
/// after a chunk are left for the next command; the message keeps exactly the bytes up to the size cap; a
/// message is TooBig exactly when its chunks together pass the cap.
/// </summary>
public sealed class ChunkReaderFuzzTests
{
    [Fact]
    public void Chunks_are_read_to_their_announced_size_for_any_split_and_the_cap_holds() =>
        FuzzRun.Check(nameof(ChunkReaderFuzzTests), 10_000, random =>
        {
            var sizes = Enumerable.Range(0, random.Next(1, 5)).Select(_ => (long)random.Size(3000)).ToArray();
            var maxSize = random.OneIn(4) ? long.MaxValue : random.NextLong(sizes.Sum() + 100);
            var body = random.Bytes((int)sizes.Sum());
            var next = random.Bytes(random.Next(16));
            byte[] wire = [.. body, .. next];
            var cut = Math.Min(wire.Length, (int)sizes.Sum() + random.Next(-8, 17));
            wire = wire[..Math.Max(0, cut)];

            var whole = Read([wire], sizes, maxSize);
            var split = Read(LineFramerFuzzTests.Pieces(wire, random.Cuts(wire.Length)), sizes, maxSize);

            var available = Math.Min(wire.Length, sizes.Sum());
            Assert.Equal((whole.Done, whole.Consumed, whole.Status), (split.Done, split.Consumed, split.Status));
            Assert.Equal(available, whole.Consumed);
            Assert.Equal(wire.Length >= sizes.Sum(), whole.Done);
            foreach (var kept in new[] { whole.Kept, split.Kept })
            {
                // A message past the cap is refused (552), so which of its bytes were kept is not specified:
                // only that they are its first bytes and no more than the cap.
                var expected = Convert.ToHexString(body.AsSpan(0, (int)Math.Min(available, maxSize)));
                Assert.True(available > maxSize ? expected.StartsWith(kept, StringComparison.Ordinal) : expected == kept, "kept bytes");
            }

            if (whole.Done)
            {
                Assert.Equal(sizes.Sum() > maxSize ? ContentStatus.TooBig : ContentStatus.Ok, whole.Status);
            }
        });

    /// <summary>Reads the chunks in turn, each reader starting where the message stands, as ConnectionActor does.</summary>
    private static (bool Done, long Consumed, ContentStatus Status, string Kept) Read(byte[][] pieces, long[] sizes, long maxSize)
    {
        var sink = new ArrayBufferWriter<byte>();
        var chunk = 0;
        var reader = new ChunkReader(sizes[0], 0, maxSize);
        var consumed = 0L;
        var status = ContentStatus.Ok;
        foreach (var piece in pieces.Prepend([]))
        {
            var input = new SequenceReader<byte>(new ReadOnlySequence<byte>(piece));
            while (chunk < sizes.Length && reader.Read(ref input, sink))
            {
                status = reader.Status;
                Assert.Equal(0, reader.Remaining);
                if (++chunk < sizes.Length)
                {
                    reader = new ChunkReader(sizes[chunk], reader.MessageSize, maxSize);
                }
            }

            consumed += input.Consumed;
            Assert.InRange(sink.WrittenCount, 0, maxSize);
            Assert.True(reader.Remaining >= 0, "read past the chunk");
        }

        return (chunk == sizes.Length, consumed, status, Convert.ToHexString(sink.WrittenSpan));
    }
}
