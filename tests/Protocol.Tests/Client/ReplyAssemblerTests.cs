using System.Text;
using Gateway.Protocol.Client;

namespace Gateway.Protocol.Tests.Client;

public class ReplyAssemblerTests
{
    [Fact]
    public void A_single_line_reply_gives_its_code_and_text()
    {
        var replies = new ReplyAssembler();

        replies.Append("220 mx.example ESMTP ready\r\n"u8);
        var reply = replies.TryTake();

        Assert.NotNull(reply);
        Assert.Equal(220, reply.Code);
        Assert.Equal(2, reply.Class);
        Assert.Equal(["mx.example ESMTP ready"], reply.Lines);
        Assert.Null(replies.TryTake());
        Assert.Equal(0, replies.Pending);
        Assert.Null(replies.Malformed);
    }

    [Theory]
    [InlineData(220, 2)]
    [InlineData(354, 3)]
    [InlineData(421, 4)]
    [InlineData(554, 5)]
    public void The_class_is_the_first_digit_of_the_code(int code, int expected)
    {
        var reply = new ServerReply(code, ["text"]);

        Assert.Equal(expected, reply.Class);
    }

    [Fact]
    public void A_multi_line_ehlo_reply_is_one_reply_with_a_line_per_extension()
    {
        var replies = new ReplyAssembler();

        replies.Append("250-mx.example greets client.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-starttls\r\n250 8BITMIME\r\n"u8);
        var reply = replies.TryTake();

        Assert.NotNull(reply);
        Assert.Equal(250, reply.Code);
        Assert.Equal(["mx.example greets client.example", "PIPELINING", "SIZE 10240000", "starttls", "8BITMIME"], reply.Lines);
        Assert.Null(replies.TryTake());
    }

    [Theory]
    [InlineData("STARTTLS", true)]
    [InlineData("starttls", true)]
    [InlineData("StartTls", true)]
    [InlineData("SIZE", true)]
    [InlineData("8bitmime", true)]          // the last line counts too
    [InlineData("AUTH", false)]
    [InlineData("SIZE 10240000", false)]    // the keyword, not the whole line
    [InlineData("START", false)]            // the whole keyword, not a prefix
    [InlineData("mx.example", false)]       // the first line is the greeting, not an extension
    [InlineData("STARTTLSX", false)]
    public void Advertises_matches_extension_keywords_case_insensitively_after_the_first_line(string keyword, bool expected)
    {
        var replies = new ReplyAssembler();
        replies.Append("250-mx.example greets client.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-starttls\r\n250 8BITMIME\r\n"u8);
        var reply = replies.TryTake()!;

        var advertised = reply.Advertises(keyword);

        Assert.Equal(expected, advertised);
    }

    [Fact]
    public void A_greeting_that_names_an_extension_does_not_advertise_it()
    {
        var reply = new ServerReply(250, ["STARTTLS"]);

        var advertised = reply.Advertises("STARTTLS");

        Assert.False(advertised);
    }

    [Fact]
    public void Replies_split_at_any_byte_come_out_the_same()
    {
        var wire = "220 mx.example ESMTP\r\n250-mx.example\r\n250-STARTTLS\r\n250 SIZE 1000\r\n354 go ahead\r\n"u8.ToArray();
        string[] expected = ["220 mx.example ESMTP", "250 mx.example / STARTTLS / SIZE 1000", "354 go ahead"];

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var replies = new ReplyAssembler();
            var taken = new List<ServerReply>();

            replies.Append(wire.AsSpan(0, cut));
            TakeAll(replies, taken);
            replies.Append(wire.AsSpan(cut));
            TakeAll(replies, taken);

            Assert.Equal(expected, taken.Select(r => r.ToString()));
            Assert.Null(replies.Malformed);
            Assert.Equal(0, replies.Pending);
        }
    }

    [Fact]
    public void Replies_split_at_any_two_bytes_come_out_the_same()
    {
        var wire = "220 hi\r\n250-a\r\n250 b\r\n354 go\r\n"u8.ToArray();
        string[] expected = ["220 hi", "250 a / b", "354 go"];

        for (var first = 0; first <= wire.Length; first++)
        {
            for (var second = first; second <= wire.Length; second++)
            {
                var replies = new ReplyAssembler();
                var taken = new List<ServerReply>();

                foreach (var (from, to) in new[] { (0, first), (first, second), (second, wire.Length) })
                {
                    replies.Append(wire.AsSpan(from, to - from));
                    TakeAll(replies, taken);
                }

                Assert.Equal(expected, taken.Select(r => r.ToString()));
            }
        }
    }

    [Fact]
    public void Replies_fed_one_byte_at_a_time_come_out_the_same()
    {
        var wire = "220 mx.example ESMTP\r\n250-mx.example\r\n250-STARTTLS\r\n250 SIZE 1000\r\n354 go ahead\r\n"u8.ToArray();
        var replies = new ReplyAssembler();
        var taken = new List<ServerReply>();

        foreach (var b in wire)
        {
            replies.Append([b]);
            TakeAll(replies, taken);
        }

        Assert.Equal(["220 mx.example ESMTP", "250 mx.example / STARTTLS / SIZE 1000", "354 go ahead"], taken.Select(r => r.ToString()));
    }

    [Fact]
    public void A_line_of_exactly_the_maximum_split_at_any_byte_is_accepted()
    {
        var wire = "250-12345678\r\n250 abcdefgh\r\n"u8.ToArray();   // each line is 12 bytes before its CRLF

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var replies = new ReplyAssembler(maxLineLength: 12);
            var taken = new List<ServerReply>();

            replies.Append(wire.AsSpan(0, cut));
            TakeAll(replies, taken);
            replies.Append(wire.AsSpan(cut));
            TakeAll(replies, taken);

            Assert.Null(replies.Malformed);
            Assert.Equal(["250 12345678 / abcdefgh"], taken.Select(r => r.ToString()));
        }
    }

    [Fact]
    public void Bare_lf_line_ends_are_accepted()
    {
        var replies = new ReplyAssembler();

        replies.Append("250-first\n250-second\r\n250 last\n220 next\n"u8);
        var first = replies.TryTake();
        var second = replies.TryTake();

        Assert.NotNull(first);
        Assert.Equal(["first", "second", "last"], first.Lines);
        Assert.NotNull(second);
        Assert.Equal(220, second.Code);
        Assert.Equal(["next"], second.Lines);
        Assert.Null(replies.Malformed);
    }

    [Theory]
    [InlineData("250\r\n")]
    [InlineData("250 \r\n")]
    [InlineData("250\n")]
    public void A_code_with_no_text_is_a_reply_with_one_empty_line(string wire)
    {
        var replies = new ReplyAssembler();

        replies.Append(Encoding.ASCII.GetBytes(wire));
        var reply = replies.TryTake();

        Assert.NotNull(reply);
        Assert.Equal(250, reply.Code);
        Assert.Equal([""], reply.Lines);
        Assert.Null(replies.Malformed);
    }

    [Fact]
    public void A_continuation_line_with_no_text_keeps_the_reply_open()
    {
        var replies = new ReplyAssembler();

        replies.Append("250-\r\n250\r\n"u8);
        var reply = replies.TryTake();

        Assert.NotNull(reply);
        Assert.Equal(["", ""], reply.Lines);
    }

    [Theory]
    [InlineData("abc ok\r\n", "abc ok")]
    [InlineData("2x0 ok\r\n", "2x0 ok")]
    [InlineData("25\r\n", "25")]
    [InlineData("25 ok\r\n", "25 ok")]
    [InlineData("250x\r\n", "250x")]
    [InlineData("250_ok\r\n", "250_ok")]
    [InlineData("\r\n", "")]
    [InlineData(" 250 ok\r\n", " 250 ok")]
    [InlineData("HTTP/1.1 400 Bad Request\r\n", "HTTP/1.1 400 Bad Request")]
    public void A_line_that_is_not_a_reply_line_makes_the_stream_malformed(string wire, string shown)
    {
        var replies = new ReplyAssembler();

        replies.Append(Encoding.ASCII.GetBytes(wire));
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal($"not a reply line: \"{shown}\"", replies.Malformed);
    }

    [Fact]
    public void A_bad_line_after_good_replies_keeps_the_good_ones()
    {
        var replies = new ReplyAssembler();

        replies.Append("220 hi\r\n250 ok\r\n25\r\n250 ok\r\n"u8);
        var first = replies.TryTake();
        var second = replies.TryTake();
        var third = replies.TryTake();

        Assert.Equal("220 hi", first?.ToString());
        Assert.Equal("250 ok", second?.ToString());
        Assert.Null(third);
        Assert.Equal("not a reply line: \"25\"", replies.Malformed);
    }

    [Fact]
    public void A_code_that_changes_inside_a_multi_line_reply_makes_the_stream_malformed()
    {
        var replies = new ReplyAssembler();

        replies.Append("250-mx.example\r\n251 last\r\n"u8);
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal("reply code changed from 250 to 251 inside one reply", replies.Malformed);
    }

    [Fact]
    public void The_next_reply_may_have_a_different_code()
    {
        var replies = new ReplyAssembler();

        replies.Append("250-a\r\n250 b\r\n550-c\r\n550 d\r\n"u8);
        var first = replies.TryTake();
        var second = replies.TryTake();

        Assert.Equal("250 a / b", first?.ToString());
        Assert.Equal("550 c / d", second?.ToString());
        Assert.Null(replies.Malformed);
    }

    [Theory]
    [InlineData("250 1234567\r\n")]     // 11 bytes before the CRLF
    [InlineData("250 1234567\n")]
    [InlineData("250-1234567\r\n250 ok\r\n")]
    public void A_line_longer_than_the_maximum_makes_the_stream_malformed(string wire)
    {
        var replies = new ReplyAssembler(maxLineLength: 10);

        replies.Append(Encoding.ASCII.GetBytes(wire));
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal("reply line longer than 10 bytes", replies.Malformed);
    }

    [Theory]
    [InlineData("250 123456\r\n")]      // exactly 10 bytes before the CRLF
    [InlineData("250 123456\n")]
    public void A_line_of_exactly_the_maximum_is_accepted(string wire)
    {
        var replies = new ReplyAssembler(maxLineLength: 10);

        replies.Append(Encoding.ASCII.GetBytes(wire));
        var reply = replies.TryTake();

        Assert.Equal("250 123456", reply?.ToString());
        Assert.Null(replies.Malformed);
    }

    [Fact]
    public void A_line_longer_than_the_maximum_without_lf_is_malformed_before_it_ends()
    {
        var replies = new ReplyAssembler(maxLineLength: 10);

        replies.Append("250 1234567"u8);     // 11 bytes, no line end yet
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal("reply line longer than 10 bytes", replies.Malformed);
    }

    [Theory]
    [InlineData("250 123456")]          // exactly the maximum: the line end may still come
    [InlineData("250 123456\r")]        // and its CR does not count
    public void A_line_up_to_the_maximum_without_lf_waits(string wire)
    {
        var replies = new ReplyAssembler(maxLineLength: 10);

        replies.Append(Encoding.ASCII.GetBytes(wire));
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Null(replies.Malformed);
        Assert.Equal(wire.Length, replies.Pending);
    }

    [Fact]
    public void A_long_line_within_the_default_maximum_is_accepted_across_appends()
    {
        var text = new string('a', 4000);
        var wire = Encoding.ASCII.GetBytes($"250 {text}\r\n220 next\r\n");
        var replies = new ReplyAssembler();

        for (var i = 0; i < wire.Length; i += 700)
        {
            replies.Append(wire.AsSpan(i, Math.Min(700, wire.Length - i)));
        }

        var first = replies.TryTake();
        var second = replies.TryTake();

        Assert.Equal([text], first?.Lines);
        Assert.Equal("220 next", second?.ToString());
    }

    [Fact]
    public void A_line_longer_than_the_default_maximum_is_malformed()
    {
        var replies = new ReplyAssembler();

        replies.Append(Encoding.ASCII.GetBytes("250 " + new string('a', ReplyAssembler.DefaultMaxLine)));
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal($"reply line longer than {ReplyAssembler.DefaultMaxLine} bytes", replies.Malformed);
    }

    [Fact]
    public void A_reply_of_exactly_the_maximum_lines_is_accepted()
    {
        var replies = new ReplyAssembler(maxLines: 3);

        replies.Append("250-a\r\n250-b\r\n250 c\r\n"u8);
        var reply = replies.TryTake();

        Assert.Equal("250 a / b / c", reply?.ToString());
        Assert.Null(replies.Malformed);
    }

    [Fact]
    public void A_reply_of_more_lines_than_the_maximum_is_malformed()
    {
        var replies = new ReplyAssembler(maxLines: 3);

        replies.Append("250-a\r\n250-b\r\n250-c\r\n250 d\r\n"u8);
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal("reply longer than 3 lines", replies.Malformed);
    }

    [Fact]
    public void The_line_limit_is_per_reply_not_per_stream()
    {
        var replies = new ReplyAssembler(maxLines: 2);

        replies.Append("250-a\r\n250 b\r\n250-c\r\n250 d\r\n250-e\r\n250 f\r\n"u8);
        var taken = new List<ServerReply>();
        TakeAll(replies, taken);

        Assert.Equal(["250 a / b", "250 c / d", "250 e / f"], taken.Select(r => r.ToString()));
        Assert.Null(replies.Malformed);
    }

    [Fact]
    public void Control_characters_in_reply_text_are_escaped_as_hex()
    {
        var replies = new ReplyAssembler();

        replies.Append("250 a\u001b[31mb\tc\u007fd\0e\r\n"u8);
        var reply = replies.TryTake();

        Assert.Equal(["a\\x1B[31mb\\x09c\\x7Fd\\x00e"], reply?.Lines);
    }

    [Fact]
    public void A_cr_inside_a_line_is_escaped_and_only_the_one_before_lf_is_a_line_end()
    {
        var replies = new ReplyAssembler();

        replies.Append("250 forged\r250 line\r\r\n"u8);
        var reply = replies.TryTake();

        Assert.Equal(["forged\\x0D250 line\\x0D"], reply?.Lines);
    }

    [Fact]
    public void Control_characters_in_a_malformed_line_are_escaped_in_the_reason()
    {
        var replies = new ReplyAssembler();

        replies.Append("\u001b]0;owned\u0007\r\n"u8);
        replies.TryTake();

        Assert.Equal("not a reply line: \"\\x1B]0;owned\\x07\"", replies.Malformed);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    [InlineData("h\u00e9llo \u00fcber", "h\u00e9llo \u00fcber")]   // UTF-8 stays as it is
    [InlineData("a\u0085b", "a\\x85b")]                            // a C1 control is a control too
    [InlineData("tab\there", "tab\\x09here")]
    [InlineData("\u001b", "\\x1B")]
    public void PrintableText_keeps_text_and_escapes_controls(string text, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        var printable = PrintableText.From(bytes);

        Assert.Equal(expected, printable);
    }

    [Fact]
    public void PrintableText_replaces_invalid_utf8()
    {
        var printable = PrintableText.From([(byte)'a', 0xFF, (byte)'b']);

        Assert.Equal("a\uFFFDb", printable);
    }

    [Fact]
    public void Pending_counts_the_bytes_of_an_unfinished_line()
    {
        var replies = new ReplyAssembler();

        replies.Append("250 o"u8);
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal(5, replies.Pending);
    }

    [Fact]
    public void Pending_counts_the_bytes_after_the_last_reply_taken()
    {
        var replies = new ReplyAssembler();

        replies.Append("250 ok\r\n220 early\r\n354"u8);
        var first = replies.TryTake();
        var pendingAfterFirst = replies.Pending;
        var second = replies.TryTake();
        var pendingAfterSecond = replies.Pending;
        var third = replies.TryTake();

        Assert.Equal("250 ok", first?.ToString());
        Assert.Equal("220 early\r\n354".Length, pendingAfterFirst);
        Assert.Equal("220 early", second?.ToString());
        Assert.Equal(3, pendingAfterSecond);
        Assert.Null(third);
        Assert.Equal(3, replies.Pending);
    }

    [Fact]
    public void Pending_is_zero_before_anything_arrives()
    {
        var replies = new ReplyAssembler();

        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal(0, replies.Pending);
        Assert.Null(replies.Malformed);
    }

    [Fact]
    public void Once_malformed_the_stream_stays_malformed_and_yields_no_more_replies()
    {
        var replies = new ReplyAssembler();
        replies.Append("250x\r\n"u8);
        replies.TryTake();
        var reason = replies.Malformed;

        replies.Append("250 ok\r\n220 hello\r\n"u8);
        var first = replies.TryTake();
        var second = replies.TryTake();

        Assert.Equal("not a reply line: \"250x\"", reason);
        Assert.Null(first);
        Assert.Null(second);
        Assert.Equal(reason, replies.Malformed);
    }

    [Fact]
    public void Once_a_line_is_too_long_the_stream_stays_malformed_even_when_the_lf_comes()
    {
        var replies = new ReplyAssembler(maxLineLength: 10);
        replies.Append("250 1234567890"u8);
        replies.TryTake();

        replies.Append("\r\n250 ok\r\n"u8);
        var reply = replies.TryTake();

        Assert.Null(reply);
        Assert.Equal("reply line longer than 10 bytes", replies.Malformed);
    }

    [Fact]
    public void To_string_shows_the_code_and_the_lines()
    {
        var reply = new ServerReply(250, ["mx.example", "STARTTLS"]);

        var text = reply.ToString();

        Assert.Equal("250 mx.example / STARTTLS", text);
    }

    [Fact]
    public void Each_line_is_shown_as_sent_as_soon_as_it_is_framed_before_its_reply_is_complete()
    {
        var replies = new ReplyAssembler();
        var shown = new List<string>();

        replies.Append("250-mx.example\r\n250-STARTTLS\r\n250 SI"u8);
        var unfinished = replies.TryTake(shown.Add);
        var shownBeforeTheEnd = shown.ToArray();
        replies.Append("ZE 1000\r\n"u8);
        var reply = replies.TryTake(shown.Add);

        Assert.Null(unfinished);
        Assert.Equal(["250-mx.example", "250-STARTTLS"], shownBeforeTheEnd);
        Assert.Equal(["250-mx.example", "250-STARTTLS", "250 SIZE 1000"], shown);
        Assert.Equal("250 mx.example / STARTTLS / SIZE 1000", reply?.ToString());
    }

    [Theory]
    [InlineData("250\r\n", "250")]
    [InlineData("250 \r\n", "250 ")]
    [InlineData("250\n", "250")]
    [InlineData("250 ok\r\r\n", "250 ok\\x0D")]
    public void A_shown_line_keeps_its_code_mark_and_text_exactly_without_the_line_end(string wire, string expected)
    {
        var replies = new ReplyAssembler();
        var shown = new List<string>();

        replies.Append(Encoding.ASCII.GetBytes(wire));
        replies.TryTake(shown.Add);

        Assert.Equal([expected], shown);
    }

    [Fact]
    public void Control_characters_in_a_shown_line_are_escaped()
    {
        var replies = new ReplyAssembler();
        var shown = new List<string>();

        replies.Append("220 \u001b[2Jfake\r\n"u8);
        replies.TryTake(shown.Add);

        Assert.Equal(["220 \\x1B[2Jfake"], shown);
    }

    [Fact]
    public void Lines_after_the_reply_taken_are_not_shown_until_the_next_take()
    {
        var replies = new ReplyAssembler();
        var shown = new List<string>();

        // RFC 3207 §4.2: what follows the 220 to STARTTLS in clear text may have to be discarded unseen.
        replies.Append("220 go ahead\r\n250 injected\r\n"u8);
        var reply = replies.TryTake(shown.Add);

        Assert.Equal("220 go ahead", reply?.ToString());
        Assert.Equal(["220 go ahead"], shown);
        Assert.Equal("250 injected\r\n".Length, replies.Pending);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\n", "HTTP/1.1 400 Bad Request", "not a reply line: \"HTTP/1.1 400 Bad Request\"")]
    [InlineData("250-mx.example\r\n251 last\r\n", "251 last", "reply code changed from 250 to 251 inside one reply")]
    public void The_line_that_makes_the_stream_malformed_is_shown(string wire, string last, string malformed)
    {
        var replies = new ReplyAssembler();
        var shown = new List<string>();

        replies.Append(Encoding.ASCII.GetBytes(wire));
        var reply = replies.TryTake(shown.Add);

        Assert.Null(reply);
        Assert.Equal(malformed, replies.Malformed);
        Assert.Equal(last, shown[^1]);
    }

    [Theory]
    [InlineData("250 1234567\r\n")]
    [InlineData("250 1234567")]
    public void A_line_longer_than_the_maximum_is_not_shown(string wire)
    {
        var replies = new ReplyAssembler(maxLineLength: 10);
        var shown = new List<string>();

        replies.Append(Encoding.ASCII.GetBytes(wire));
        replies.TryTake(shown.Add);

        Assert.Empty(shown);
        Assert.Equal("reply line longer than 10 bytes", replies.Malformed);
    }

    [Fact]
    public void Shown_lines_split_at_any_byte_come_out_once_each_in_order()
    {
        var wire = "220 mx.example ESMTP\r\n250-mx.example\r\n250-STARTTLS\r\n250 SIZE 1000\r\n"u8.ToArray();

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var replies = new ReplyAssembler();
            var shown = new List<string>();
            var taken = new List<ServerReply>();

            foreach (var (from, to) in new[] { (0, cut), (cut, wire.Length) })
            {
                replies.Append(wire.AsSpan(from, to - from));
                while (replies.TryTake(shown.Add) is { } reply)
                {
                    taken.Add(reply);
                }
            }

            Assert.Equal(["220 mx.example ESMTP", "250-mx.example", "250-STARTTLS", "250 SIZE 1000"], shown);
            Assert.Equal(["220 mx.example ESMTP", "250 mx.example / STARTTLS / SIZE 1000"], taken.Select(r => r.ToString()));
        }
    }

    private static void TakeAll(ReplyAssembler replies, List<ServerReply> taken)
    {
        while (replies.TryTake() is { } reply)
        {
            taken.Add(reply);
        }
    }
}
