using System.Buffers;
using System.Text;
using Gateway.Protocol.Framing;

namespace Gateway.Protocol.Tests.Framing;

public class DataReaderTests
{
    private const string Body = "Subject: dots\r\n\r\n..\r\n...x\r\n.y\r\n\r\nend\r\n.\r\n";
    private const string Content = "Subject: dots\r\n\r\n.\r\n..x\r\ny\r\n\r\nend\r\n";
    private const string Next = "QUIT\r\n";

    [Fact]
    public void A_dot_stuffed_body_is_unstuffed_and_ends_at_crlf_dot_crlf()
    {
        var reader = new DataReader(maxSize: 10_000);
        var sink = new ArrayBufferWriter<byte>();
        var input = new SequenceReader<byte>(Segments.Of(Ascii(Body + Next)));

        var done = reader.Read(ref input, sink);

        Assert.True(done);
        Assert.Equal(Content, Encoding.ASCII.GetString(sink.WrittenSpan));
        Assert.Equal(Content.Length, reader.Size);
        Assert.Equal(ContentStatus.Ok, reader.Status);
        Assert.Equal(Next, Encoding.ASCII.GetString(input.UnreadSequence));
    }

    [Fact]
    public void A_body_split_at_any_byte_reads_the_same_and_ends_at_the_same_place()
    {
        var wire = Ascii(Body + Next);

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var reader = new DataReader(maxSize: 10_000);
            var sink = new ArrayBufferWriter<byte>();
            var input = new SequenceReader<byte>(Segments.Of(wire[..cut], wire[cut..]));

            var done = reader.Read(ref input, sink);

            Assert.True(done);
            Assert.Equal(Content, Encoding.ASCII.GetString(sink.WrittenSpan));
            Assert.Equal(Body.Length, input.Consumed);
        }
    }

    [Fact]
    public void A_body_read_in_two_reads_split_at_any_byte_reads_the_same_and_ends_at_the_same_place()
    {
        var wire = Ascii(Body + Next);

        for (var cut = 0; cut < Body.Length; cut++)
        {
            var reader = new DataReader(maxSize: 10_000);
            var sink = new ArrayBufferWriter<byte>();
            var first = new SequenceReader<byte>(Segments.Of(wire[..cut]));
            var firstDone = reader.Read(ref first, sink);
            var second = new SequenceReader<byte>(Segments.Of(wire[(int)first.Consumed..]));

            var done = reader.Read(ref second, sink);

            Assert.False(firstDone);
            Assert.True(done);
            Assert.Equal(Content, Encoding.ASCII.GetString(sink.WrittenSpan));
            Assert.Equal(Next, Encoding.ASCII.GetString(second.UnreadSequence));
        }
    }

    [Fact]
    public void A_body_fed_one_byte_at_a_time_reads_the_same_and_ends_at_the_same_place()
    {
        var wire = Ascii(Body + Next);
        var reader = new DataReader(maxSize: 10_000);
        var sink = new ArrayBufferWriter<byte>();

        var fed = 0;
        var done = false;
        while (!done && fed < wire.Length)
        {
            var input = new SequenceReader<byte>(Segments.Of(wire[fed..(fed + 1)]));
            done = reader.Read(ref input, sink);
            fed++;
        }

        Assert.True(done);
        Assert.Equal(Body.Length, fed);
        Assert.Equal(Content, Encoding.ASCII.GetString(sink.WrittenSpan));
    }

    [Fact]
    public void An_empty_body_is_a_lone_dot()
    {
        var (done, reader, content, rest) = ReadAll(".\r\n" + Next);

        Assert.True(done);
        Assert.Equal("", content);
        Assert.Equal(0, reader.Size);
        Assert.Equal(ContentStatus.Ok, reader.Status);
        Assert.Equal(Next, rest);
    }

    [Fact]
    public void A_body_without_its_final_dot_is_not_done()
    {
        var (done, reader, content, _) = ReadAll("line\r\n.x\r\n\r\n");

        Assert.False(done);
        Assert.Equal("line\r\nx\r\n\r\n", content);
        Assert.Equal(ContentStatus.Ok, reader.Status);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\r.\r\n")]
    [InlineData("\r\n.\r")]
    [InlineData("\r\n.\rx")]
    public void A_smuggling_end_marker_does_not_end_the_data_at_any_split_point(string marker)
    {
        var body = "Subject: a\r\n\r\nhello" + marker + "MAIL FROM:<evil@example.net>\r\n.\r\n";
        var wire = Ascii(body + Next);

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var reader = new DataReader(maxSize: 10_000);
            var input = new SequenceReader<byte>(Segments.Of(wire[..cut], wire[cut..]));

            var done = reader.Read(ref input, new ArrayBufferWriter<byte>());

            Assert.True(done);
            Assert.Equal(ContentStatus.BareLineEnding, reader.Status);
            Assert.Equal(Next, Encoding.ASCII.GetString(input.UnreadSequence));
        }
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\r.\r\n")]
    [InlineData("\r\n.\r")]
    public void The_data_is_still_open_after_a_smuggling_end_marker(string marker)
    {
        var (done, reader, _, _) = ReadAll("hello" + marker + "MAIL FROM:<evil@example.net>\r\n");

        Assert.False(done);
        Assert.Equal(ContentStatus.BareLineEnding, reader.Status);
    }

    [Theory]
    [InlineData("a\rb\r\n.\r\n")]
    [InlineData("a\nb\r\n.\r\n")]
    [InlineData("a\r\r\n.\r\n")]
    [InlineData("\n\r\n.\r\n")]
    public void A_bare_cr_or_lf_anywhere_is_a_bare_line_ending(string body)
    {
        var (done, reader, _, _) = ReadAll(body);

        Assert.True(done);
        Assert.Equal(ContentStatus.BareLineEnding, reader.Status);
    }

    [Fact]
    public void A_body_of_exactly_the_size_limit_is_ok()
    {
        var (done, reader, content, _) = ReadAll("12345\r\n.\r\n", maxSize: 7);

        Assert.True(done);
        Assert.Equal(ContentStatus.Ok, reader.Status);
        Assert.Equal("12345\r\n", content);
    }

    [Fact]
    public void A_body_one_octet_over_the_size_limit_is_too_big_and_still_read_to_the_final_dot()
    {
        var (done, reader, _, rest) = ReadAll("12345\r\nmore\r\n..\r\n.\r\n" + Next, maxSize: 6);

        Assert.True(done);
        Assert.Equal(ContentStatus.TooBig, reader.Status);
        Assert.Equal(Next, rest);
    }

    [Fact]
    public void A_line_of_998_octets_is_ok()
    {
        var (done, reader, _, _) = ReadAll(new string('x', 998) + "\r\n.\r\n");

        Assert.True(done);
        Assert.Equal(ContentStatus.Ok, reader.Status);
    }

    [Fact]
    public void A_line_of_999_octets_is_too_long_and_still_read_to_the_final_dot()
    {
        var (done, reader, _, rest) = ReadAll(new string('x', 999) + "\r\nshort\r\n.\r\n" + Next);

        Assert.True(done);
        Assert.Equal(ContentStatus.LineTooLong, reader.Status);
        Assert.Equal(Next, rest);
    }

    [Fact]
    public void The_stuffing_dot_does_not_count_towards_the_line_length()
    {
        var (done, reader, _, _) = ReadAll(".." + new string('x', 997) + "\r\n.\r\n");

        Assert.True(done);
        Assert.Equal(ContentStatus.Ok, reader.Status);
    }

    private static (bool Done, DataReader Reader, string Content, string Unread) ReadAll(string wire, long maxSize = 10_000)
    {
        var reader = new DataReader(maxSize);
        var sink = new ArrayBufferWriter<byte>();
        var input = new SequenceReader<byte>(Segments.Of(Ascii(wire)));
        var done = reader.Read(ref input, sink);
        return (done, reader, Encoding.ASCII.GetString(sink.WrittenSpan), Encoding.ASCII.GetString(input.UnreadSequence));
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
