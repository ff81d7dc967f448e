using System.Buffers;
using System.Text;
using Gateway.Protocol.Framing;

namespace Gateway.Protocol.Tests.Framing;

public class LineFramerTests
{
    [Fact]
    public void A_line_split_at_any_byte_frames_the_same()
    {
        var wire = "RCPT TO:<b@example.org>\r\n"u8.ToArray();

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var input = new SequenceReader<byte>(Segments.Of(wire[..cut], wire[cut..]));

            var frame = LineFramer.Next(ref input, max: 512, out var line);

            Assert.Equal(Frame.Line, frame);
            Assert.Equal("RCPT TO:<b@example.org>", Encoding.ASCII.GetString(line));
            Assert.Equal(wire.Length, input.Consumed);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("EHLO")]
    [InlineData("EHLO x\r")]
    [InlineData("EHLO x\n")]
    public void An_unfinished_line_consumes_nothing(string partial)
    {
        var input = new SequenceReader<byte>(Segments.Of(Encoding.ASCII.GetBytes(partial)));

        var frame = LineFramer.Next(ref input, max: 512, out _);

        Assert.Equal(Frame.NeedMore, frame);
        Assert.Equal(0, input.Consumed);
    }

    [Fact]
    public void Pipelined_lines_are_framed_one_at_a_time()
    {
        var input = new SequenceReader<byte>(Segments.Of("MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDA"u8.ToArray()));

        var first = LineFramer.Next(ref input, max: 512, out var mail);
        var second = LineFramer.Next(ref input, max: 512, out var rcpt);
        var third = LineFramer.Next(ref input, max: 512, out _);

        Assert.Equal([Frame.Line, Frame.Line, Frame.NeedMore], [first, second, third]);
        Assert.Equal("MAIL FROM:<a@b.c>", Encoding.ASCII.GetString(mail));
        Assert.Equal("RCPT TO:<d@e.f>", Encoding.ASCII.GetString(rcpt));
        Assert.Equal("DA", Encoding.ASCII.GetString(input.UnreadSequence));
    }

    [Fact]
    public void A_bare_lf_does_not_end_a_command_line()
    {
        var input = new SequenceReader<byte>(Segments.Of("NOOP\nRSET\r\n"u8.ToArray()));

        var frame = LineFramer.Next(ref input, max: 512, out var line);

        Assert.Equal(Frame.Line, frame);
        Assert.Equal("NOOP\nRSET", Encoding.ASCII.GetString(line));
    }

    [Fact]
    public void A_line_of_exactly_max_octets_with_its_crlf_is_a_line()
    {
        var wire = Encoding.ASCII.GetBytes(new string('x', 510) + "\r\n");
        var input = new SequenceReader<byte>(Segments.Of(wire));

        var frame = LineFramer.Next(ref input, max: 512, out var line);

        Assert.Equal(Frame.Line, frame);
        Assert.Equal(510, line.Length);
    }

    [Fact]
    public void An_over_long_line_with_its_crlf_in_sight_is_too_long_and_consumed()
    {
        var wire = Encoding.ASCII.GetBytes(new string('x', 511) + "\r\nNOOP\r\n");

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var input = new SequenceReader<byte>(Segments.Of(wire[..cut], wire[cut..]));

            var frame = LineFramer.Next(ref input, max: 512, out _);

            Assert.Equal(Frame.TooLong, frame);
            Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
        }
    }

    [Fact]
    public void An_over_long_line_without_a_crlf_in_sight_is_too_long_and_consumes_nothing()
    {
        var wire = Encoding.ASCII.GetBytes(new string('x', 511) + "\r");
        var input = new SequenceReader<byte>(Segments.Of(wire[..300], wire[300..]));

        var frame = LineFramer.Next(ref input, max: 512, out _);

        Assert.Equal(Frame.TooLong, frame);
        Assert.Equal(0, input.Consumed);
    }

    [Fact]
    public void A_line_one_octet_short_of_max_without_a_crlf_needs_more()
    {
        var input = new SequenceReader<byte>(Segments.Of(Encoding.ASCII.GetBytes(new string('x', 511))));

        var frame = LineFramer.Next(ref input, max: 512, out _);

        Assert.Equal(Frame.NeedMore, frame);
        Assert.Equal(0, input.Consumed);
    }

    [Fact]
    public void Skipping_stops_right_after_the_crlf()
    {
        var input = new SequenceReader<byte>(Segments.Of("xxxx\r\nNOOP\r\n"u8.ToArray()));

        var found = LineFramer.SkipPastCrlf(ref input);

        Assert.True(found);
        Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
    }

    [Fact]
    public void Skipping_finds_a_crlf_whose_cr_ends_one_segment_and_lf_starts_the_next()
    {
        var input = new SequenceReader<byte>(Segments.Of("xxxx\r"u8.ToArray(), "\nNOOP\r\n"u8.ToArray()));

        var found = LineFramer.SkipPastCrlf(ref input);

        Assert.True(found);
        Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
    }

    [Fact]
    public void Skipping_a_line_split_at_any_byte_stops_at_the_same_place()
    {
        var wire = "xx\nyy\rzz\r\nNOOP\r\n"u8.ToArray();

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var input = new SequenceReader<byte>(Segments.Of(wire[..cut], wire[cut..]));

            var found = LineFramer.SkipPastCrlf(ref input);

            Assert.True(found);
            Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
        }
    }

    [Fact]
    public void Skipping_without_a_crlf_consumes_everything_but_a_trailing_cr()
    {
        var input = new SequenceReader<byte>(Segments.Of("xxxx"u8.ToArray(), "yy\r"u8.ToArray()));

        var found = LineFramer.SkipPastCrlf(ref input);

        Assert.False(found);
        Assert.Equal("\r", Encoding.ASCII.GetString(input.UnreadSequence));
    }

    [Fact]
    public void Skipping_without_a_crlf_or_trailing_cr_consumes_everything()
    {
        var input = new SequenceReader<byte>(Segments.Of("xx"u8.ToArray(), "yy"u8.ToArray()));

        var found = LineFramer.SkipPastCrlf(ref input);

        Assert.False(found);
        Assert.Equal(0, input.Remaining);
    }

    [Fact]
    public void Skipping_resumes_with_the_kept_cr_and_ends_at_the_lf_of_the_next_read()
    {
        var wire = "xxxx\r\nNOOP\r\n"u8.ToArray();
        var first = new SequenceReader<byte>(Segments.Of(wire[..5]));
        LineFramer.SkipPastCrlf(ref first);
        var second = new SequenceReader<byte>(Segments.Of(wire[(int)first.Consumed..]));

        var found = LineFramer.SkipPastCrlf(ref second);

        Assert.True(found);
        Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(second.UnreadSequence));
    }

    [Fact]
    public void A_bare_lf_inside_a_skipped_line_does_not_end_it()
    {
        var input = new SequenceReader<byte>(Segments.Of("xx\nNOOP\r\nRSET\r\n"u8.ToArray()));

        var found = LineFramer.SkipPastCrlf(ref input);

        Assert.True(found);
        Assert.Equal("RSET\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
    }

    [Fact]
    public void A_bare_lf_at_the_start_of_a_read_does_not_end_the_skipped_line()
    {
        var input = new SequenceReader<byte>(Segments.Of("\nNOOP\r\nRSET\r\n"u8.ToArray()));

        var found = LineFramer.SkipPastCrlf(ref input);

        Assert.True(found);
        Assert.Equal("RSET\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
    }

    [Fact]
    public void A_bare_lf_right_after_a_consumed_crlf_does_not_end_the_skipped_line()
    {
        var input = new SequenceReader<byte>(Segments.Of("NOOP\r\n\nxx\r\nRSET\r\n"u8.ToArray()));
        LineFramer.Next(ref input, max: 512, out _);

        var found = LineFramer.SkipPastCrlf(ref input);

        Assert.True(found);
        Assert.Equal("RSET\r\n", Encoding.ASCII.GetString(input.UnreadSequence));
    }

    [Fact]
    public void A_skipped_line_of_a_million_bare_lfs_does_not_exhaust_the_stack()
    {
        var wire = new byte[1_000_002];
        Array.Fill(wire, (byte)'\n', 0, 1_000_000);
        "\r\n"u8.CopyTo(wire.AsSpan(1_000_000));
        var input = new SequenceReader<byte>(Segments.Of([(byte)'x'], wire));

        var found = LineFramer.SkipPastCrlf(ref input);

        Assert.True(found);
        Assert.Equal(0, input.Remaining);
    }
}
