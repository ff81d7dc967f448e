using Gateway.Protocol.Queue;
using Gateway.Protocol.Status;

namespace Gateway.Protocol.Tests.Status;

public sealed class QueueDestinationsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static QueueDestinations.Queued Message(string id, int minutes, string? lastError, params (string Address, RecipientStatus Status)[] recipients) =>
        new([.. recipients.Select(r => r.Address)], new QueueEntry(id, T0.AddMinutes(minutes), [.. recipients.Select(r => r.Status)], LastError: lastError));

    private static RecipientStatus Pending(string? reply = null) => new(RecipientState.Pending, reply);

    [Fact]
    public void Pending_recipients_are_grouped_by_domain_busiest_first()
    {
        var top = QueueDestinations.Top(
        [
            Message("A", 0, null, ("a@Example.NET", Pending()), ("b@example.net", Pending()), ("c@example.org", Pending())),
            Message("B", 1, null, ("d@example.net", Pending()), ("e@example.org", new RecipientStatus(RecipientState.Delivered))),
            Message("C", 2, null, ("f@example.com", Pending())),
        ]);

        Assert.Equal(["example.net", "example.com", "example.org"], top.Select(d => d.Domain));
        Assert.Equal((2, 3, T0), (top[0].Messages, top[0].Recipients, top[0].Oldest!.Value));

        // Delivered and failed recipients are not waiting: B's example.org recipient is not counted.
        Assert.Equal((1, 1), (top[2].Messages, top[2].Recipients));
    }

    [Fact]
    public void The_last_error_is_the_newest_message_s_recipient_reply_or_else_its_last_error()
    {
        var top = QueueDestinations.Top(
        [
            Message("old", 0, null, ("a@example.net", Pending("451 4.3.0 old trouble"))),
            Message("new", 5, "connection refused by mx.example.net", ("b@example.net", Pending())),
            Message("quiet", 9, null, ("c@example.net", Pending())),
        ]);

        Assert.Equal("connection refused by mx.example.net", Assert.Single(top).LastError);
    }

    [Fact]
    public void Only_the_busiest_destinations_are_kept_with_ties_in_name_order()
    {
        var top = QueueDestinations.Top([Message("A", 0, null, ("a@c.example", Pending()), ("a@b.example", Pending()), ("a@a.example", Pending()))], count: 2);

        Assert.Equal(["a.example", "b.example"], top.Select(d => d.Domain));
    }

    [Theory]
    [InlineData("user@Example.NET", "example.net")]
    [InlineData("<user@example.net>", "example.net")]
    [InlineData("\"a@b\"@example.org", "example.org")]
    [InlineData("postmaster", "(local)")]
    [InlineData("user@", "(local)")]
    public void The_domain_of_an_address(string address, string domain) => Assert.Equal(domain, QueueDestinations.DomainOf(address));
}
