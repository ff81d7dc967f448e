using System.Text;
using Gateway.Actors.Queue;
using Gateway.Control;

namespace Gateway.Tests.Control;

/// <summary>The control socket's wire: one JSON object per line, camelCase, that reads back as it was written.</summary>
public sealed class ControlCodecTests
{
    private static readonly QueueListing Deferred = new(
        "0192A3B4C5D600010A0B",
        "deferred",
        1234,
        new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero),
        "alice@localhost",
        [
            new QueueListingRecipient("bob@remote.example", "pending", "451 4.3.0 try again later", "127.0.0.1"),
            new QueueListingRecipient("carol@remote.example", "delivered", "250 2.0.0 ok", null),
        ],
        1,
        new DateTimeOffset(2026, 12, 6, 22, 5, 0, TimeSpan.Zero),
        "451 4.3.0 try again later");

    [Fact]
    public void An_answer_with_a_listing_reads_back_as_it_was_written()
    {
        var line = ControlCodec.Line(new ControlAnswer(true, "1 message(s)", [Deferred]));

        var answer = ControlCodec.Answer(line.AsSpan(0, line.Length - 1))!;

        Assert.True(answer.Ok);
        Assert.Equal("1 message(s)", answer.Text);
        Assert.Null(answer.Error);
        var message = Assert.Single(answer.Messages!);
        Assert.Equal(Deferred with { Recipients = message.Recipients }, message);
        Assert.Equal(Deferred.Recipients, message.Recipients);
    }

    [Fact]
    public void A_request_is_one_camelCase_line_ending_in_a_single_line_feed()
    {
        var line = ControlCodec.Line(new ControlRequest(ControlRequest.Hold, "line\nbreak"));

        Assert.Equal("{\"op\":\"hold\",\"id\":\"line\\nbreak\"}\n", Encoding.UTF8.GetString(line));
        Assert.Equal(new ControlRequest("hold", "line\nbreak"), ControlCodec.Request(line.AsSpan(0, line.Length - 1)));
    }

    [Fact]
    public void A_refusal_leaves_out_what_it_does_not_have()
    {
        var text = ControlCodec.Text(ControlAnswer.Refused(ControlAnswer.BadRequest, "unknown op 'x'"));

        Assert.Equal("{\"ok\":false,\"text\":\"unknown op 'x'\",\"error\":\"bad-request\"}", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("{\"op\":")]
    [InlineData("{\"op\":[]}")]
    [InlineData("\"list\"")]
    public void Input_that_is_not_a_request_decodes_to_null_without_throwing(string line)
    {
        Assert.Null(ControlCodec.Request(Encoding.UTF8.GetBytes(line)));
    }
}
