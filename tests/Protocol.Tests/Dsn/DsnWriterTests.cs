using System.Text;
using Gateway.Protocol.Dsn;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;
using MimeKit;

namespace Gateway.Protocol.Tests.Dsn;

/// <summary>Delivery reports (RFC 3464, RFC 6522, RFC 3461) read back with MimeKit, as the sender's mail program would.</summary>
public sealed class DsnWriterTests
{
    private static readonly DateTimeOffset Arrived = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    private const string Original = "Message-ID: <orig@example.org>\r\nSubject: quarterly figures\r\nFrom: <alice@example.org>\r\n\r\nthe figures\r\n";

    private static Recipient Rcpt(string local, string domain, DsnNotify notify = DsnNotify.Unspecified, string? orcpt = null) =>
        new(new Mailbox(local, domain), new RcptParameters(notify, orcpt));

    private static Envelope Envelope(DsnReturn ret = DsnReturn.Unspecified, string? envId = null, Mailbox? sender = null, params Recipient[] recipients) =>
        new("Q1", sender ?? new Mailbox("alice", "example.org"), new MailParameters(null, BodyType.Unspecified, false, ret, envId), recipients, "client.example.org", "192.0.2.7", "ESMTPS", Arrived);

    private static MimeMessage Parse(byte[] bytes) => MimeMessage.Load(new MemoryStream(bytes));

    [Fact]
    public void A_failure_report_is_a_multipart_report_with_the_status_and_the_whole_original()
    {
        var bob = Rcpt("bob", "example.net", orcpt: "rfc822;Bob+2BSales@example.net");
        var envelope = Envelope(envId: "QQ+2B314", recipients: bob);
        var report = new DeliveryReport(
            envelope,
            "gw.example.org",
            [new RecipientOutcome(bob, DsnAction.Failed, new EnhancedStatus(5, 1, 1), "mx.example.net", "550 5.1.1 <bob@example.net>: user unknown", Now)],
            Now,
            "dsn.Q1@gw.example.org",
            Encoding.ASCII.GetBytes(Original));

        var message = Parse(DsnWriter.Write(report));

        Assert.Equal("Undelivered Mail Returned to Sender", message.Subject);
        Assert.Equal("MAILER-DAEMON@gw.example.org", ((MailboxAddress)message.From[0]).Address);
        Assert.Equal("alice@example.org", ((MailboxAddress)message.To[0]).Address);
        Assert.Equal("auto-replied", message.Headers["Auto-Submitted"]);
        var multipart = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("delivery-status", multipart.ReportType);
        Assert.Equal(3, multipart.Count);
        Assert.Contains("<bob@example.net>: 550 5.1.1 <bob@example.net>: user unknown (from mx.example.net)", ((TextPart)multipart[0]).Text, StringComparison.Ordinal);

        var status = Assert.IsType<MessageDeliveryStatus>(multipart[1]);
        Assert.Equal(2, status.StatusGroups.Count);
        Assert.Equal("dns; gw.example.org", status.StatusGroups[0]["Reporting-MTA"]);
        Assert.Equal("QQ+314", status.StatusGroups[0]["Original-Envelope-Id"]);
        Assert.Equal("Tue, 1 Dec 2026 09:30:00 +0000", status.StatusGroups[0]["Arrival-Date"]);
        var recipient = status.StatusGroups[1];
        Assert.Equal("rfc822;Bob+Sales@example.net", recipient["Original-Recipient"]);
        Assert.Equal("rfc822; bob@example.net", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Equal("dns; mx.example.net", recipient["Remote-MTA"]);
        Assert.Equal("smtp; 550 5.1.1 <bob@example.net>: user unknown", recipient["Diagnostic-Code"]);

        var returned = Assert.IsType<MessagePart>(multipart[2]);
        Assert.Equal("quarterly figures", returned.Message!.Subject);
        Assert.Equal("the figures", Assert.IsType<TextPart>(returned.Message.Body).Text.TrimEnd());
    }

    [Fact]
    public void RET_HDRS_returns_the_original_header_only()
    {
        var bob = Rcpt("bob", "example.net");
        var report = new DeliveryReport(
            Envelope(DsnReturn.Headers, recipients: bob), "gw.example.org", [new RecipientOutcome(bob, DsnAction.Failed, new EnhancedStatus(5, 4, 7))], Now, "d2@gw.example.org", Encoding.ASCII.GetBytes(Original));

        var bytes = DsnWriter.Write(report);
        var multipart = Assert.IsType<MultipartReport>(Parse(bytes).Body);

        var headers = Assert.IsType<TextRfc822Headers>(multipart[2]);
        Assert.Equal("quarterly figures", headers.Message!.Subject);
        Assert.DoesNotContain("the figures", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_delay_warning_says_until_when_it_is_retried()
    {
        var bob = Rcpt("bob", "example.net");
        var until = Arrived.AddDays(5);
        var report = new DeliveryReport(
            Envelope(recipients: bob),
            "gw.example.org",
            [new RecipientOutcome(bob, DsnAction.Delayed, new EnhancedStatus(4, 4, 1), "mx.example.net", "connect to mx.example.net: connection refused", Now, until)],
            Now,
            "d3@gw.example.org",
            Encoding.ASCII.GetBytes(Original));

        var message = Parse(DsnWriter.Write(report));

        Assert.Equal("Delayed Mail (still being retried)", message.Subject);
        var status = Assert.IsType<MessageDeliveryStatus>(Assert.IsType<MultipartReport>(message.Body)[1]);
        Assert.Equal(("delayed", "4.4.1", "Sun, 6 Dec 2026 09:30:00 +0000"), (status.StatusGroups[1]["Action"], status.StatusGroups[1]["Status"], status.StatusGroups[1]["Will-Retry-Until"]));
    }

    [Fact]
    public void A_next_hops_reply_cannot_add_header_lines()
    {
        var bob = Rcpt("bob", "example.net");
        var report = new DeliveryReport(
            Envelope(recipients: bob),
            "gw.example.org",
            [new RecipientOutcome(bob, DsnAction.Failed, new EnhancedStatus(5, 0, 0), "evil.example.net\r\nX-Injected: yes", "550 no\r\nX-Injected: yes\r\n")],
            Now,
            "d4@gw.example.org",
            Encoding.ASCII.GetBytes(Original));

        var message = Parse(DsnWriter.Write(report));

        var status = Assert.IsType<MessageDeliveryStatus>(Assert.IsType<MultipartReport>(message.Body)[1]);
        Assert.Null(status.StatusGroups[1]["X-Injected"]);
        Assert.Equal("smtp; 550 no  X-Injected: yes", status.StatusGroups[1]["Diagnostic-Code"]);
    }

    [Fact]
    public void A_report_for_the_null_sender_is_refused()
    {
        var bob = Rcpt("bob", "example.net");
        var envelope = Envelope(recipients: bob) with { ReversePath = null };
        var report = new DeliveryReport(envelope, "gw.example.org", [], Now, "d5@gw.example.org", Encoding.ASCII.GetBytes(Original));

        var error = Assert.Throws<ArgumentException>("report", () => DsnWriter.Write(report));
        Assert.StartsWith("a report for the null sender is never sent (RFC 3461 §6.2)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DsnNotify.Unspecified, DsnAction.Failed, true)]
    [InlineData(DsnNotify.Unspecified, DsnAction.Delayed, true)]
    [InlineData(DsnNotify.Unspecified, DsnAction.Delivered, false)]
    [InlineData(DsnNotify.Never, DsnAction.Failed, false)]
    [InlineData(DsnNotify.Success, DsnAction.Failed, false)]
    [InlineData(DsnNotify.Success, DsnAction.Relayed, true)]
    [InlineData(DsnNotify.Failure, DsnAction.Delayed, false)]
    [InlineData(DsnNotify.Failure | DsnNotify.Delay, DsnAction.Delayed, true)]
    public void NOTIFY_decides_which_outcomes_are_reported(DsnNotify notify, DsnAction action, bool wanted)
    {
        var bob = Rcpt("bob", "example.net", notify);

        Assert.Equal(wanted, DsnNotice.Wanted(Envelope(recipients: bob), bob, action));
    }

    [Fact]
    public void A_bounce_is_never_bounced()
    {
        var bob = Rcpt("bob", "example.net", DsnNotify.Failure);
        var bounce = Envelope(recipients: bob) with { ReversePath = null };

        Assert.False(DsnNotice.Wanted(bounce, bob, DsnAction.Failed));
    }
}
