using Gateway.Protocol.Client;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Tests.Client;

public sealed class EnvelopeCommandsTests
{
    private static readonly ServerReply Postfix = new(250, ["mx.example.net", "PIPELINING", "SIZE 10240000", "ETRN", "STARTTLS", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"]);

    private static readonly ServerExtensions Full = ServerExtensions.From(Postfix);

    private static Envelope Envelope(MailParameters? parameters = null, Mailbox? sender = null, params Recipient[] recipients) =>
        new("Q1", sender ?? new Mailbox("alice", "example.org"), parameters ?? MailParameters.None, recipients, "client.example.org", "192.0.2.7", "ESMTP", DateTimeOffset.UnixEpoch);

    private static Recipient Bob(DsnNotify notify = DsnNotify.Unspecified, string? orcpt = null) => new(new Mailbox("bob", "example.net"), new RcptParameters(notify, orcpt));

    [Fact]
    public void An_EHLO_reply_is_read_into_the_extensions_relaying_cares_about()
    {
        Assert.Equal(new ServerExtensions(true, 10240000, true, true, true, true, true, true), Full);
        Assert.Equal(0, ServerExtensions.From(new ServerReply(250, ["mx", "SIZE"])).SizeLimit);
        Assert.Same(ServerExtensions.None, ServerExtensions.From(new ServerReply(250, ["mx.example.net Hello"])));
    }

    [Fact]
    public void MAIL_carries_the_size_and_the_DSN_parameters_the_hop_offers()
    {
        var envelope = Envelope(new MailParameters(null, BodyType.SevenBit, false, DsnReturn.Headers, "QQ+2B314"), recipients: Bob());

        var mail = EnvelopeCommands.Mail(envelope, 2048, eightBit: false, Full, "mx.example.net");

        Assert.Equal(new EnvelopeCommand.Send("MAIL FROM:<alice@example.org> SIZE=2048 RET=HDRS ENVID=QQ+2B314"), mail);
    }

    [Fact]
    public void A_hop_that_offers_nothing_gets_the_bare_commands()
    {
        var envelope = Envelope(new MailParameters(null, BodyType.SevenBit, false, DsnReturn.Full, "id"), recipients: Bob(DsnNotify.Failure, "rfc822;bob@example.net"));

        Assert.Equal(new EnvelopeCommand.Send("MAIL FROM:<alice@example.org>"), EnvelopeCommands.Mail(envelope, 2048, false, ServerExtensions.None, "old.example.net"));
        Assert.Equal(new EnvelopeCommand.Send("RCPT TO:<bob@example.net>"), EnvelopeCommands.Rcpt(Bob(DsnNotify.Failure, "rfc822;bob@example.net"), ServerExtensions.None));
    }

    [Fact]
    public void The_null_sender_stays_null()
    {
        var envelope = Envelope(recipients: Bob()) with { ReversePath = null };

        Assert.Equal(new EnvelopeCommand.Send("MAIL FROM:<> SIZE=10"), EnvelopeCommands.Mail(envelope, 10, false, Full, "mx.example.net"));
    }

    [Theory]
    [InlineData(DsnNotify.Failure | DsnNotify.Delay, "RCPT TO:<bob@example.net> NOTIFY=FAILURE,DELAY ORCPT=rfc822;Bob+2B1@example.net")]
    [InlineData(DsnNotify.Never, "RCPT TO:<bob@example.net> NOTIFY=NEVER ORCPT=rfc822;Bob+2B1@example.net")]
    [InlineData(DsnNotify.Success, "RCPT TO:<bob@example.net> NOTIFY=SUCCESS ORCPT=rfc822;Bob+2B1@example.net")]
    public void RCPT_passes_NOTIFY_and_ORCPT_on_to_a_hop_with_DSN(DsnNotify notify, string line)
    {
        Assert.Equal(new EnvelopeCommand.Send(line), EnvelopeCommands.Rcpt(Bob(notify, "rfc822;Bob+2B1@example.net"), Full));
    }

    [Fact]
    public void Eight_bit_content_is_declared_to_a_hop_with_8BITMIME_and_refused_5_6_3_to_one_without()
    {
        var envelope = Envelope(recipients: Bob());
        var old = Full with { EightBitMime = false, SmtpUtf8 = false };

        Assert.Equal(new EnvelopeCommand.Send("MAIL FROM:<alice@example.org> SIZE=99 BODY=8BITMIME"), EnvelopeCommands.Mail(envelope, 99, eightBit: true, Full with { Dsn = false }, "mx.example.net"));
        var refused = Assert.IsType<EnvelopeCommand.Refuse>(EnvelopeCommands.Mail(envelope, 99, eightBit: true, old, "old.example.net"));
        Assert.Equal((new EnhancedStatus(5, 6, 3), "8-bit content, and host old.example.net does not offer 8BITMIME (RFC 6152)"), (refused.Status, refused.Text));
        Assert.IsType<EnvelopeCommand.Send>(EnvelopeCommands.Mail(envelope, 99, eightBit: false, old, "old.example.net"));
    }

    [Fact]
    public void A_message_that_needs_SMTPUTF8_is_refused_5_6_7_by_a_hop_without_it()
    {
        var envelope = Envelope(recipients: new Recipient(new Mailbox("jürgen", "example.net"), RcptParameters.None));

        Assert.Equal(
            new EnvelopeCommand.Refuse(new EnhancedStatus(5, 6, 7), "SMTPUTF8 is required, but was not offered by host old.example.net"),
            EnvelopeCommands.Mail(envelope, 99, false, Full with { SmtpUtf8 = false }, "old.example.net"));
        Assert.Equal(new EnvelopeCommand.Send("MAIL FROM:<alice@example.org> SIZE=99 SMTPUTF8"), EnvelopeCommands.Mail(envelope, 99, false, Full with { Dsn = false }, "mx.example.net"));
    }

    [Fact]
    public void A_message_larger_than_the_hops_SIZE_is_refused_5_3_4_before_it_is_sent()
    {
        var refused = EnvelopeCommands.Mail(Envelope(recipients: Bob()), 10240001, false, Full, "mx.example.net");

        Assert.Equal(new EnvelopeCommand.Refuse(new EnhancedStatus(5, 3, 4), "message of 10240001 bytes exceeds host mx.example.net's limit of 10240000"), refused);
        Assert.IsType<EnvelopeCommand.Send>(EnvelopeCommands.Mail(Envelope(recipients: Bob()), 10240001, false, Full with { SizeLimit = 0 }, "mx.example.net"));
    }
}
