using System.Buffers;
using Gateway.Protocol.Framing;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// The DATA reader: it stops exactly after the first CRLF "." CRLF (the end of data, RFC 5321 §4.1.1.4; nothing
/// else ends it, SMTP smuggling), whatever the split; it hands the sink the same bytes and the same verdict for
/// any split; what it keeps never passes the size cap; and a clean body comes out dot-unstuffed (§4.5.2) exactly
/// as an independent reference computes it.
/// </summary>
public sealed class DataReaderFuzzTests
{
    private static readonly byte[][] Pieces =
    [
        "\r\n"u8.ToArray(), "."u8.ToArray(), "..\r\n"u8.ToArray(), "\r\n.\r\n"u8.ToArray(), "\n.\n"u8.ToArray(), "\r.\r\n"u8.ToArray(),
        "\n.\r\n"u8.ToArray(), ".\r"u8.ToArray(), "\r"u8.ToArray(), "\n"u8.ToArray(), "Subject: x\r\n"u8.ToArray(), "body text "u8.ToArray(),
        [0x00, 0xC3, 0xA9, 0xFF],
    ];

    private static readonly byte[] End = "\r\n.\r\n"u8.ToArray();

    [Fact]
    public void Any_split_ends_at_the_first_crlf_dot_crlf_with_the_same_content_and_never_keeps_more_than_the_cap() =>
        FuzzRun.Check(nameof(DataReaderFuzzTests), 20_000, random =>
        {
            var maxSize = random.OneIn(2) ? random.NextLong(64) : random.NextLong(1 << 16);
            var maxLine = random.OneIn(2) ? Limits.TextLine : random.Next(2, 40);
            var wire = Mutate.Bytes(random, Body(random, maxLine), maxLength: 1 << 15);

            var whole = Read([wire], maxSize, maxLine);
            var split = Read(LineFramerFuzzTests.Pieces(wire, random.Cuts(wire.Length)), maxSize, maxLine);

            // Past the cap the message is refused (552) and its content thrown away, so what was kept of it depends
            // on the split (a run that crosses the cap is dropped whole) and is not compared: only that it is capped.
            Assert.Equal(whole with { Kept = "" }, split with { Kept = "" });
            Assert.True(whole.Status == ContentStatus.TooBig || whole.Kept == split.Kept, "kept content differs");
            Assert.InRange(whole.Kept.Length / 2, 0, maxSize);

            // Reference: the data ends after the first CRLF "." CRLF, counting the CRLF before the DATA reply's 354.
            var end = IndexOf([.. "\r\n"u8, .. wire], End);
            Assert.Equal(end < 0 ? wire.Length : end + End.Length - 2, whole.Consumed);
            Assert.Equal(end >= 0, whole.Done);
            if (whole.Done && whole.Status == ContentStatus.Ok)
            {
                Assert.Equal(Convert.ToHexString(Unstuffed(wire[..end])), whole.Kept);
            }
        });

    private static byte[] Body(FuzzRandom random, int maxLine)
    {
        var body = new List<byte>();
        var count = random.Next(1, 12);
        for (var i = 0; i < count; i++)
        {
            body.AddRange(random.OneIn(4) ? Enumerable.Repeat((byte)'x', Math.Max(0, maxLine - 2 + random.Next(-1, 2))) : random.Pick(Pieces));
        }

        if (!random.OneIn(8))
        {
            body.AddRange(End);
            body.AddRange(random.Bytes(random.Next(8)));
        }

        return [.. body];
    }

    private static (bool Done, long Consumed, long Size, ContentStatus Status, string Kept) Read(byte[][] chunks, long maxSize, int maxLine)
    {
        var reader = new DataReader(maxSize, maxLine);
        var sink = new ArrayBufferWriter<byte>();
        var consumed = 0L;
        foreach (var chunk in chunks)
        {
            var input = new SequenceReader<byte>(new ReadOnlySequence<byte>(chunk));
            var done = reader.Read(ref input, sink);
            consumed += input.Consumed;
            Assert.InRange(sink.WrittenCount, 0, maxSize);
            if (done)
            {
                return (true, consumed, reader.Size, reader.Status, Convert.ToHexString(sink.WrittenSpan));
            }

            Assert.Equal(chunk.Length, input.Consumed);
        }

        return (false, consumed, reader.Size, reader.Status, Convert.ToHexString(sink.WrittenSpan));
    }

    /// <summary>The content up to the end CRLF, each line with one leading dot removed (RFC 5321 §4.5.2), CRLFs kept.</summary>
    private static byte[] Unstuffed(byte[] content)
    {
        var kept = new List<byte>();
        var lineStart = true;
        for (var i = 0; i < content.Length; i++)
        {
            if (!(lineStart && content[i] == '.'))
            {
                kept.Add(content[i]);
            }

            lineStart = content[i] == '\n' && i > 0 && content[i - 1] == '\r';
        }

        return [.. kept];
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
