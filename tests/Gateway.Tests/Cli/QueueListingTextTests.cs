using Gateway.Actors.Queue;
using Gateway.Cli;

namespace Gateway.Tests.Cli;

/// <summary><c>gateway queue list</c>'s text, mailq's shape: message line, why it waits, recipients, the closing count.</summary>
public sealed class QueueListingTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 22, 3, 30, TimeSpan.Zero);

    [Fact]
    public void Each_message_shows_its_facts_why_it_waits_and_each_recipient_with_its_last_reply()
    {
        QueueListing[] messages =
        [
            new("0192A3B4C5D600010A0B", "deferred", 1500, Now.AddMinutes(-3).AddSeconds(-30), "alice@localhost",
                [new("bob@remote.example", "pending", "451 4.3.0 try again later", "127.0.0.1"), new("carol@remote.example", "delivered", "250 2.0.0 ok", "127.0.0.1")],
                1, Now.AddMinutes(2), "451 4.3.0 try again later"),
            new("0192A3B4C5D600020A0B", "hold", 100, Now.AddDays(-2).AddHours(-4), "", [new("dave@remote.example", "pending", null, null)], 0, null, null),
        ];

        var text = QueueListingText.Render(messages, Now);

        Assert.Equal(
            """
            ID                        SIZE  ARRIVAL (UTC)        AGE     STATE     SENDER
            0192A3B4C5D600010A0B      1500  2026-12-06 22:00:00  3m30s   deferred  alice@localhost
                  (1 failed attempt; 451 4.3.0 try again later; next attempt 2026-12-06 22:05:30, in 2m00s)
                  bob@remote.example  pending  (451 4.3.0 try again later)
                  carol@remote.example  delivered  (250 2.0.0 ok)

            0192A3B4C5D600020A0B       100  2026-12-04 18:03:30  2d04h   hold      <>
                  dave@remote.example  pending

            -- 2 Kbytes in 2 Requests.

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void An_empty_queue_says_so()
    {
        Assert.Equal("Mail queue is empty\n", QueueListingText.Render([], Now));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(61, "1m01s")]
    [InlineData(3 * 3600 + 120, "3h02m")]
    [InlineData(-5, "0s")]
    public void A_span_shows_its_two_largest_units(int seconds, string shown)
    {
        Assert.Equal(shown, QueueListingText.Span(TimeSpan.FromSeconds(seconds)));
    }
}
