using Gateway.Protocol.Commands;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Protocol.Tests.Session;

public class SessionRulesTests
{
    private static readonly SessionSettings Settings = new(
        Hostname: "mx.example.com",
        MaxMessageSize: 10_000,
        MaxRecipients: 3,
        MaxBadCommands: 3,
        LocalDomains: new HashSet<string> { "example.org" });

    [Fact]
    public void Mail_before_ehlo_is_503()
    {
        var decision = Dialog("MAIL FROM:<a@example.net>");

        Assert.Equal(SmtpReplies.HelloFirst, decision.Reply);
        Assert.Null(decision.State.Transaction);
    }

    [Fact]
    public void Rcpt_before_mail_is_503()
    {
        var decision = Dialog("EHLO client.example", "RCPT TO:<b@example.org>");

        Assert.Equal(SmtpReplies.NeedMail, decision.Reply);
        Assert.Equal(SessionAction.None, decision.Action);
    }

    [Fact]
    public void Data_before_mail_is_503()
    {
        var decision = Dialog("EHLO client.example", "DATA");

        Assert.Equal(SmtpReplies.NeedMail, decision.Reply);
    }

    [Fact]
    public void Data_before_rcpt_is_503()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "DATA");

        Assert.Equal(SmtpReplies.NeedRcpt, decision.Reply);
        Assert.Equal(SessionAction.None, decision.Action);
    }

    [Fact]
    public void A_nested_mail_is_503_and_keeps_the_first_transaction()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "MAIL FROM:<c@example.net>");

        Assert.Equal(SmtpReplies.NestedMail, decision.Reply);
        Assert.Equal("a@example.net", decision.State.Transaction?.ReversePath?.ToString());
    }

    [Fact]
    public void Data_after_a_recipient_starts_mail_input()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<b@example.org>", "DATA");

        Assert.Equal(ReplyCode.StartMailInput, decision.Reply?.Code);
        Assert.Equal(SessionAction.ReceiveData, decision.Action);
    }

    [Theory]
    [InlineData("EHLO again.example")]
    [InlineData("HELO again.example")]
    public void Hello_resets_the_transaction(string hello)
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<b@example.org>", hello, "DATA");

        Assert.Equal(SmtpReplies.NeedMail, decision.Reply);
        Assert.Equal("again.example", decision.State.HeloName);
    }

    [Fact]
    public void Rset_ends_the_transaction_and_keeps_the_hello()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<b@example.org>", "RSET");

        Assert.Equal(SmtpReplies.Reset, decision.Reply);
        Assert.Null(decision.State.Transaction);
        Assert.Equal("client.example", decision.State.HeloName);
    }

    [Fact]
    public void Mail_after_rset_starts_a_new_transaction()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RSET", "MAIL FROM:<c@example.net>");

        Assert.Equal(SmtpReplies.SenderOk, decision.Reply);
        Assert.Equal("c@example.net", decision.State.Transaction?.ReversePath?.ToString());
    }

    [Fact]
    public void A_declared_size_at_the_limit_is_accepted()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net> SIZE=10000");

        Assert.Equal(SmtpReplies.SenderOk, decision.Reply);
    }

    [Fact]
    public void A_declared_size_over_the_limit_is_552_5_3_4_at_mail()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net> SIZE=10001");

        Assert.Equal(ReplyCode.ExceededStorage, decision.Reply?.Code);
        Assert.Equal(new EnhancedStatus(5, 3, 4), decision.Reply?.Status);
        Assert.Null(decision.State.Transaction);
    }

    [Fact]
    public void Recipients_past_the_maximum_are_452_4_5_3_and_the_first_ones_are_kept()
    {
        var decision = Dialog(
            "EHLO client.example",
            "MAIL FROM:<a@example.net>",
            "RCPT TO:<b1@example.org>",
            "RCPT TO:<b2@example.org>",
            "RCPT TO:<b3@example.org>",
            "RCPT TO:<b4@example.org>");

        Assert.Equal(ReplyCode.InsufficientStorage, decision.Reply?.Code);
        Assert.Equal(new EnhancedStatus(4, 5, 3), decision.Reply?.Status);
        Assert.Equal(3, decision.State.Transaction?.Recipients.Count);
    }

    [Fact]
    public void A_recipient_in_a_foreign_domain_is_550_5_7_1_relaying_denied()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<c@elsewhere.example>");

        Assert.Equal(ReplyCode.MailboxUnavailable, decision.Reply?.Code);
        Assert.Equal(new EnhancedStatus(5, 7, 1), decision.Reply?.Status);
        Assert.Contains("Relaying denied", decision.Reply?.Lines[0]);
        Assert.Contains("<c@elsewhere.example>", decision.Reply?.Lines[0]);
        Assert.Empty(decision.State.Transaction!.Recipients);
    }

    [Fact]
    public void Relaying_denied_is_worded_after_the_clients_reverse_lookup_and_survives_STARTTLS()
    {
        // SPEC R8: {client_resolve} is a transport fact; the reset after the handshake keeps it.
        var host = new ClientHost(System.Net.IPAddress.Parse("192.0.2.1"), null, ClientResolve.Temp);
        var state = SessionRules.AfterTls(new SessionState("192.0.2.1", Host: host));
        foreach (var line in new[] { "EHLO client.example", "MAIL FROM:<a@example.net>" })
        {
            state = SessionRules.Apply(state, CommandParser.Parse(line), Settings).State;
        }

        var decision = SessionRules.Apply(state, CommandParser.Parse("RCPT TO:<c@elsewhere.example>"), Settings);

        Assert.Equal("450 4.4.0 <c@elsewhere.example>... Relaying temporarily denied. Cannot resolve PTR record for 192.0.2.1", decision.Reply?.ToString());
    }

    [Theory]
    [InlineData("RCPT TO:<b@example.org>")]
    [InlineData("RCPT TO:<b@EXAMPLE.ORG>")]
    [InlineData("RCPT TO:<b@Example.Org>")]
    public void A_local_domain_matches_in_any_case(string rcpt)
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", rcpt);

        Assert.Equal(SmtpReplies.RecipientOk, decision.Reply);
        Assert.Single(decision.State.Transaction!.Recipients);
    }

    [Fact]
    public void Postmaster_without_a_domain_is_a_local_recipient()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<Postmaster>");

        Assert.Equal(SmtpReplies.RecipientOk, decision.Reply);
    }

    [Fact]
    public void A_utf8_recipient_without_smtputf8_on_mail_is_553()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<josé@example.org>");

        Assert.Equal(ReplyCode.MailboxNameNotAllowed, decision.Reply?.Code);
        Assert.Equal(new EnhancedStatus(5, 6, 7), decision.Reply?.Status);
        Assert.Empty(decision.State.Transaction!.Recipients);
    }

    [Fact]
    public void A_utf8_recipient_with_smtputf8_on_mail_is_accepted()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net> SMTPUTF8", "RCPT TO:<josé@example.org>");

        Assert.Equal(SmtpReplies.RecipientOk, decision.Reply);
    }

    [Fact]
    public void Bdat_without_a_transaction_discards_the_chunk_and_answers_503()
    {
        var decision = Dialog("EHLO client.example", "BDAT 10 LAST");

        Assert.Equal(SessionAction.DiscardChunk, decision.Action);
        Assert.Equal(ReplyCode.BadSequence, decision.Reply?.Code);
    }

    [Fact]
    public void Bdat_without_recipients_discards_the_chunk_and_answers_503()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "BDAT 10");

        Assert.Equal(SessionAction.DiscardChunk, decision.Action);
        Assert.Equal(SmtpReplies.NeedRcpt, decision.Reply);
    }

    [Fact]
    public void Bdat_after_a_recipient_receives_the_chunk_and_answers_later()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<b@example.org>", "BDAT 10");

        Assert.Equal(SessionAction.ReceiveChunk, decision.Action);
        Assert.Null(decision.Reply);
        Assert.True(decision.State.Transaction?.BdatStarted);
    }

    [Fact]
    public void Data_after_bdat_is_503()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<b@example.org>", "BDAT 10", "DATA");

        Assert.Equal(SmtpReplies.DataAfterBdat, decision.Reply);
        Assert.Equal(SessionAction.None, decision.Action);
    }

    [Fact]
    public void Rcpt_after_bdat_is_503()
    {
        var decision = Dialog("EHLO client.example", "MAIL FROM:<a@example.net>", "RCPT TO:<b@example.org>", "BDAT 10", "RCPT TO:<c@example.org>");

        Assert.Equal(ReplyCode.BadSequence, decision.Reply?.Code);
        Assert.Single(decision.State.Transaction!.Recipients);
    }

    [Fact]
    public void Bad_commands_up_to_the_budget_are_answered_normally()
    {
        var decision = Dialog("EHLO client.example", "FOO", "RCPT TO:<b@example.org>", "MAIL FROM:<a>");

        Assert.Equal(ReplyCode.ParameterSyntaxError, decision.Reply?.Code);
        Assert.Equal(SessionAction.None, decision.Action);
        Assert.Equal(3, decision.State.BadCommands);
    }

    [Fact]
    public void One_bad_command_past_the_budget_is_421_4_7_0_and_closes()
    {
        var decision = Dialog("EHLO client.example", "FOO", "RCPT TO:<b@example.org>", "MAIL FROM:<a>", "BAR");

        Assert.Equal(ReplyCode.ServiceNotAvailable, decision.Reply?.Code);
        Assert.Equal(new EnhancedStatus(4, 7, 0), decision.Reply?.Status);
        Assert.Equal(SessionAction.Close, decision.Action);
    }

    [Fact]
    public void Bdat_past_the_error_budget_closes_instead_of_reading_the_chunk()
    {
        var decision = Dialog("EHLO client.example", "FOO", "BAR", "BAZ", "BDAT 10");

        Assert.Equal(ReplyCode.ServiceNotAvailable, decision.Reply?.Code);
        Assert.Equal(SessionAction.Close, decision.Action);
    }

    [Fact]
    public void An_http_request_as_the_first_command_is_421_rejecting_open_proxy_and_closes()
    {
        var decision = Dialog("GET / HTTP/1.0");

        Assert.Equal(ReplyCode.ServiceNotAvailable, decision.Reply?.Code);
        Assert.Equal(new EnhancedStatus(4, 7, 0), decision.Reply?.Status);
        Assert.Contains("Rejecting open proxy", decision.Reply?.Lines[0]);
        Assert.Equal(SessionAction.Close, decision.Action);
    }

    [Fact]
    public void An_http_request_after_another_command_is_500_and_the_session_stays_open()
    {
        var decision = Dialog("EHLO client.example", "POST /x");

        Assert.Equal(SmtpReplies.CommandUnrecognized, decision.Reply);
        Assert.Equal(SessionAction.None, decision.Action);
    }

    [Fact]
    public void Quit_is_221_and_closes()
    {
        var decision = Dialog("EHLO client.example", "QUIT");

        Assert.Equal(ReplyCode.Closing, decision.Reply?.Code);
        Assert.Equal(SessionAction.Close, decision.Action);
    }

    [Theory]
    [InlineData("HELO client.example", "MAIL FROM:<a@example.net>", "SMTP")]
    [InlineData("EHLO client.example", "MAIL FROM:<a@example.net>", "ESMTP")]
    [InlineData("EHLO client.example", "MAIL FROM:<a@example.net> SMTPUTF8", "UTF8SMTP")]
    public void The_protocol_keyword_follows_the_hello_and_smtputf8(string hello, string mail, string protocol)
    {
        var state = Dialog(hello, mail).State;

        var keyword = state.Protocol(state.Transaction!.Parameters.SmtpUtf8);

        Assert.Equal(protocol, keyword);
    }

    [Fact]
    public void The_ehlo_reply_greets_and_lists_the_extensions()
    {
        var decision = Dialog("EHLO client.example");

        Assert.Equal(ReplyCode.Ok, decision.Reply?.Code);
        Assert.Null(decision.Reply?.Status);
        Assert.Equal(
            ["mx.example.com Hello client.example", "PIPELINING", "SIZE 10000", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8", "CHUNKING", "DSN", "HELP"],
            decision.Reply?.Lines);
    }

    [Fact]
    public void The_ehlo_reply_advertises_the_configured_size()
    {
        var settings = Settings with { MaxMessageSize = 2048 };

        var decision = SessionRules.Apply(new SessionState("192.0.2.1"), new SmtpCommand.Ehlo("client.example"), settings);

        Assert.Contains("SIZE 2048", decision.Reply!.Lines);
    }

    private static Decision Dialog(params string[] lines)
    {
        var state = new SessionState("192.0.2.1");
        Decision? decision = null;
        foreach (var line in lines)
        {
            decision = SessionRules.Apply(state, CommandParser.Parse(line), Settings);
            state = decision.State;
        }

        return decision!;
    }
}
