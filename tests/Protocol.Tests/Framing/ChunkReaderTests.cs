using System.Buffers;
using System.Text;
using Gateway.Protocol.Framing;

namespace Gateway.Protocol.Tests.Framing;

public class ChunkReaderTests
{
    [Fact]
    public void A_chunk_takes_exactly_its_size_across_segments()
    {
        var reader = new ChunkReader(chunkSize: 10, alreadyReceived: 0, maxSize: 100);
        var sink = new ArrayBufferWriter<byte>();
        var input = new SequenceReader<byte>(Segments.Of("abc"u8.ToArray(), "defg"u8.ToArray(), "hijQUIT\r\n"u8.ToArray()));

        var done = reader.Read(ref input, sink);

        Assert.True(done);
        Assert.Equal("abcdefghij", Encoding.ASCII.GetString(sink.WrittenSpan));
        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
        Assert.Equal(ContentStatus.Ok, reader.Status);
    }

    [Fact]
    public void A_chunk_split_at_any_byte_takes_the_same_octets()
    {
        var wire = "a.\r\n\nb\r\n.\r\nQUIT\r\n"u8.ToArray();

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var reader = new ChunkReader(chunkSize: 11, alreadyReceived: 0, maxSize: 100);
            var sink = new ArrayBufferWriter<byte>();
            var input = new SequenceReader<byte>(Segments.Of(wire[..cut], wire[cut..]));

            var done = reader.Read(ref input, sink);

            Assert.True(done);
            Assert.Equal("a.\r\n\nb\r\n.\r\n", Encoding.ASCII.GetString(sink.WrittenSpan));
            Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
        }
    }

    [Fact]
    public void A_chunk_longer_than_the_input_needs_more_and_remembers_what_is_left()
    {
        var reader = new ChunkReader(chunkSize: 10, alreadyReceived: 0, maxSize: 100);
        var sink = new ArrayBufferWriter<byte>();
        var first = new SequenceReader<byte>(Segments.Of("abcd"u8.ToArray()));
        var firstDone = reader.Read(ref first, sink);
        var second = new SequenceReader<byte>(Segments.Of("efghijNOOP\r\n"u8.ToArray()));

        var done = reader.Read(ref second, sink);

        Assert.False(firstDone);
        Assert.True(done);
        Assert.Equal("abcdefghij", Encoding.ASCII.GetString(sink.WrittenSpan));
        Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(second.UnreadSequence));
    }

    [Fact]
    public void A_chunk_of_size_zero_is_complete_at_once_and_consumes_nothing()
    {
        var reader = new ChunkReader(chunkSize: 0, alreadyReceived: 0, maxSize: 100);
        var sink = new ArrayBufferWriter<byte>();
        var input = new SequenceReader<byte>(Segments.Of("QUIT\r\n"u8.ToArray()));

        var done = reader.Read(ref input, sink);

        Assert.True(done);
        Assert.Equal(0, sink.WrittenCount);
        Assert.Equal(0, input.Consumed);
    }

    [Fact]
    public void A_chunk_reaching_exactly_the_max_size_is_ok()
    {
        var reader = new ChunkReader(chunkSize: 4, alreadyReceived: 6, maxSize: 10);
        var input = new SequenceReader<byte>(Segments.Of("abcd"u8.ToArray()));

        var done = reader.Read(ref input, new ArrayBufferWriter<byte>());

        Assert.True(done);
        Assert.Equal(10, reader.MessageSize);
        Assert.Equal(ContentStatus.Ok, reader.Status);
    }

    [Fact]
    public void A_chunk_past_the_max_size_is_dropped_but_consumed()
    {
        var reader = new ChunkReader(chunkSize: 5, alreadyReceived: 6, maxSize: 10);
        var sink = new ArrayBufferWriter<byte>();
        var input = new SequenceReader<byte>(Segments.Of("abcde"u8.ToArray(), "QUIT\r\n"u8.ToArray()));

        var done = reader.Read(ref input, sink);

        Assert.True(done);
        Assert.Equal(ContentStatus.TooBig, reader.Status);
        Assert.Equal(0, sink.WrittenCount);
        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
    }
}
