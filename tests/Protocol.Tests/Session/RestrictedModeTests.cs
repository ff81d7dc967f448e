using System.Text;
using Gateway.Protocol.Access;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Protocol.Tests.Session;

/// <summary>
/// SPEC R10 restricted mode, R63 STARTTLS hidden per client, and the access map's verdict at MAIL (R11, From:)
/// and RCPT (To:, relaying) as the session rules apply it.
/// </summary>
public class RestrictedModeTests
{
    private static readonly SessionSettings Settings = new(
        Hostname: "mx.example.com",
        MaxMessageSize: 10_000,
        MaxRecipients: 3,
        MaxBadCommands: 25,
        LocalDomains: new HashSet<string> { "example.org" },
        StartTlsOffered: true);

    private static readonly Reply Refusal = new(ReplyCode.BadSequence, new EnhancedStatus(5, 7, 0), "not authenticated");

    [Theory]
    [InlineData("MAIL FROM:<a@example.net>")]
    [InlineData("RCPT TO:<b@example.org>")]
    [InlineData("DATA")]
    [InlineData("VRFY postmaster")]
    [InlineData("HELP")]
    [InlineData("STARTTLS")]
    [InlineData("EXPN staff")]
    [InlineData("AUTH PLAIN")]
    public void Restricted_mode_answers_the_command_with_the_stored_refusal_and_counts_it(string line)
    {
        var state = RestrictedAfterEhlo();

        var decision = Run(state, line);

        Assert.Equal(Refusal, decision.Reply);
        Assert.Equal(SessionAction.None, decision.Action);
        Assert.Equal(1, decision.State.BadCommands);
        Assert.Null(decision.State.Transaction);
    }

    [Fact]
    public void Restricted_mode_refuses_bdat_and_has_its_chunk_read_and_dropped()
    {
        var state = RestrictedAfterEhlo();

        var decision = Run(state, "BDAT 10 LAST");

        Assert.Equal(Refusal, decision.Reply);
        Assert.Equal(SessionAction.DiscardChunk, decision.Action);
        Assert.Null(decision.State.Transaction);
    }

    [Fact]
    public void Restricted_mode_refuses_mail_even_before_ehlo()
    {
        var state = SessionRules.Restrict(new SessionState("192.0.2.1"), Refusal);

        var decision = Run(state, "MAIL FROM:<a@example.net>");

        Assert.Equal(Refusal, decision.Reply);
    }

    [Fact]
    public void Restricted_mode_answers_with_the_refusal_even_when_a_verdict_would_accept()
    {
        var state = RestrictedAfterEhlo();

        var decision = SessionRules.Apply(state, CommandParser.Parse("MAIL FROM:<a@example.net>"), Settings, new Verdict(VerdictKind.Ok));

        Assert.Equal(Refusal, decision.Reply);
        Assert.Null(decision.State.Transaction);
    }

    [Fact]
    public void Restricted_mode_quit_is_221_and_closes()
    {
        var decision = Run(RestrictedAfterEhlo(), "QUIT");

        Assert.Equal(SmtpReplies.Closing("mx.example.com"), decision.Reply);
        Assert.Equal(SessionAction.Close, decision.Action);
    }

    [Fact]
    public void Restricted_mode_helo_and_ehlo_are_answered_normally_and_the_mode_stays()
    {
        var helo = Run(RestrictedAfterEhlo(), "HELO again.example");
        var ehlo = Run(helo.State, "EHLO again.example");

        Assert.Equal(SmtpReplies.Helo("mx.example.com", "again.example"), helo.Reply);
        Assert.Equal(SmtpReplies.Ehlo("mx.example.com", "again.example", Settings.ExtensionsFor(ehlo.State)), ehlo.Reply);
        Assert.Equal(Refusal, ehlo.State.Restricted);
        Assert.Equal(0, ehlo.State.BadCommands);
    }

    [Theory]
    [InlineData("NOOP", "250 2.0.0 Ok\r\n")]
    [InlineData("NOOP anything", "250 2.0.0 Ok\r\n")]
    [InlineData("RSET", "250 2.0.0 Reset state\r\n")]
    public void Restricted_mode_noop_and_rset_are_answered_normally_and_not_counted(string line, string wire)
    {
        var decision = Run(RestrictedAfterEhlo(), line);

        Assert.Equal(wire, Wire(decision.Reply!));
        Assert.Equal(0, decision.State.BadCommands);
        Assert.Equal(Refusal, decision.State.Restricted);
    }

    [Theory]
    [InlineData("FOO", "500 5.5.2 Command unrecognized\r\n")]
    [InlineData("RSET now", "501 5.5.4 Syntax error (no parameters allowed)\r\n")]
    [InlineData("MAIL FROM:", "501 5.5.4 Syntax: MAIL FROM:<address>\r\n")]
    public void Restricted_mode_answers_unknown_and_invalid_commands_as_usual(string line, string wire)
    {
        var decision = Run(RestrictedAfterEhlo(), line);

        Assert.Equal(wire, Wire(decision.Reply!));
        Assert.Equal(1, decision.State.BadCommands);
    }

    [Fact]
    public void Restricted_mode_closes_with_421_at_the_26th_refused_command()
    {
        var state = RestrictedAfterEhlo();
        for (var i = 0; i < 25; i++)
        {
            var refused = Run(state, "MAIL FROM:<a@example.net>");
            Assert.Equal(Refusal, refused.Reply);
            Assert.Equal(SessionAction.None, refused.Action);
            state = refused.State;
        }

        var decision = Run(state, "MAIL FROM:<a@example.net>");

        Assert.Equal("421 4.7.0 mx.example.com Too many bad commands; closing connection\r\n", Wire(decision.Reply!));
        Assert.Equal(SessionAction.Close, decision.Action);
    }

    [Fact]
    public void Restricted_mode_closes_a_26th_refused_bdat_instead_of_reading_its_chunk()
    {
        var state = RestrictedAfterEhlo() with { BadCommands = 25 };

        var decision = Run(state, "BDAT 10 LAST");

        Assert.Equal(SmtpReplies.TooManyErrors("mx.example.com"), decision.Reply);
        Assert.Equal(SessionAction.Close, decision.Action);
    }

    [Fact]
    public void After_tls_restricted_mode_and_hidden_starttls_are_kept()
    {
        var state = RestrictedAfterEhlo() with { Policy = new ClientPolicy(TlsHidden: true), BadCommands = 2 };

        var after = SessionRules.AfterTls(state);

        Assert.Equal(Refusal, after.Restricted);
        Assert.True(after.Policy.TlsHidden);
        Assert.True(after.TlsActive);
        Assert.Equal(2, after.BadCommands);
        Assert.Null(after.HeloName);
        Assert.Equal(Refusal, Run(after, "EHLO client.example", "MAIL FROM:<a@example.net>").Reply);
    }

    [Fact]
    public void A_tls_client_refusal_after_the_handshake_restricts_the_session_with_its_reply()
    {
        var verdict = Verdict.Reject(403, "4.7.0", "encryption too weak 56 less than 128");
        var state = SessionRules.AfterTls(Run(new SessionState("192.0.2.1"), "EHLO client.example").State);

        var restricted = SessionRules.Restrict(state, verdict.ToReply());
        var decision = Run(restricted, "EHLO client.example", "MAIL FROM:<a@example.net>");

        Assert.Equal("403 4.7.0 encryption too weak 56 less than 128\r\n", Wire(decision.Reply!));
        Assert.True(decision.State.TlsActive);
    }

    [Fact]
    public void Hidden_starttls_is_not_advertised_in_ehlo()
    {
        var offered = Run(new SessionState("192.0.2.1"), "EHLO client.example");
        var hidden = Run(new SessionState("192.0.2.1") { Policy = new ClientPolicy(TlsHidden: true) }, "EHLO client.example");

        Assert.Contains("STARTTLS", offered.Reply!.Lines);
        Assert.DoesNotContain("STARTTLS", hidden.Reply!.Lines);
        Assert.Equal(offered.Reply.Lines.Where(line => line != "STARTTLS"), hidden.Reply.Lines);
    }

    [Fact]
    public void Hidden_starttls_is_answered_454_and_no_handshake_starts()
    {
        var decision = Run(new SessionState("192.0.2.1") { Policy = new ClientPolicy(TlsHidden: true) }, "EHLO client.example", "STARTTLS");

        Assert.Equal("454 4.3.3 TLS not available after start\r\n", Wire(decision.Reply!));
        Assert.Equal(SessionAction.None, decision.Action);
    }

    [Theory]
    [InlineData(503, "5.7.0", "not authenticated", "503 5.7.0 not authenticated\r\n")]
    [InlineData(403, "4.7.0", "encryption too weak 0 less than 128", "403 4.7.0 encryption too weak 0 less than 128\r\n")]
    [InlineData(550, "5.7.1", "Access denied", "550 5.7.1 Access denied\r\n")]
    public void Mail_with_a_refusing_verdict_gets_its_reply_and_no_transaction(int code, string status, string text, string wire)
    {
        var state = Run(new SessionState("192.0.2.1"), "EHLO client.example").State;

        var decision = SessionRules.Apply(state, CommandParser.Parse("MAIL FROM:<a@example.net>"), Settings, Verdict.Reject(code, status, text));

        Assert.Equal(wire, Wire(decision.Reply!));
        Assert.Null(decision.State.Transaction);
        Assert.Equal(SessionAction.None, decision.Action);
    }

    [Theory]
    [InlineData(VerdictKind.Continue)]
    [InlineData(VerdictKind.Ok)]
    [InlineData(VerdictKind.Relay)]
    public void Mail_with_an_accepting_verdict_opens_a_transaction_that_is_not_discarded(VerdictKind kind)
    {
        var state = Run(new SessionState("192.0.2.1"), "EHLO client.example").State;

        var decision = SessionRules.Apply(state, CommandParser.Parse("MAIL FROM:<a@example.net>"), Settings, new Verdict(kind));

        Assert.Equal(SmtpReplies.SenderOk, decision.Reply);
        Assert.Equal("a@example.net", decision.State.Transaction?.ReversePath?.ToString());
        Assert.False(decision.State.Transaction!.Discard);
    }

    [Fact]
    public void Mail_before_ehlo_is_503_even_with_a_refusing_verdict()
    {
        var decision = SessionRules.Apply(
            new SessionState("192.0.2.1"), CommandParser.Parse("MAIL FROM:<a@example.net>"), Settings, Verdict.Reject(550, "5.7.1", "Access denied"));

        Assert.Equal("503 5.5.1 Send HELO/EHLO first\r\n", Wire(decision.Reply!));
    }

    [Fact]
    public void A_nested_mail_is_503_even_with_a_refusing_verdict_and_keeps_the_first_transaction()
    {
        var state = Run(new SessionState("192.0.2.1"), "EHLO client.example", "MAIL FROM:<a@example.net>").State;

        var decision = SessionRules.Apply(state, CommandParser.Parse("MAIL FROM:<c@example.net>"), Settings, Verdict.Reject(550, "5.7.1", "Access denied"));

        Assert.Equal(SmtpReplies.NestedMail, decision.Reply);
        Assert.Equal("a@example.net", decision.State.Transaction?.ReversePath?.ToString());
    }

    [Fact]
    public void Rcpt_before_mail_is_503_even_with_a_refusing_verdict()
    {
        var state = Run(new SessionState("192.0.2.1"), "EHLO client.example").State;

        var decision = SessionRules.Apply(state, CommandParser.Parse("RCPT TO:<b@example.org>"), Settings, Verdict.Reject(550, "5.7.1", "Access denied"));

        Assert.Equal(SmtpReplies.NeedMail, decision.Reply);
    }

    [Fact]
    public void Rcpt_with_a_relay_verdict_accepts_a_remote_domain()
    {
        var state = InTransaction();

        var decision = SessionRules.Apply(state, CommandParser.Parse("RCPT TO:<c@elsewhere.example>"), Settings, new Verdict(VerdictKind.Relay));

        Assert.Equal(SmtpReplies.RecipientOk, decision.Reply);
        Assert.Equal(["c@elsewhere.example"], decision.State.Transaction!.Recipients.Select(r => r.Address.ToString()));
    }

    [Fact]
    public void Rcpt_with_a_reject_verdict_gets_its_reply_and_the_recipient_is_not_added()
    {
        var state = InTransaction();

        var decision = SessionRules.Apply(
            state, CommandParser.Parse("RCPT TO:<b@example.org>"), Settings, Verdict.Reject(550, "5.7.1", "<b@example.org>... Access denied"));

        Assert.Equal("550 5.7.1 <b@example.org>... Access denied\r\n", Wire(decision.Reply!));
        Assert.Empty(decision.State.Transaction!.Recipients);
    }

    [Fact]
    public void Rcpt_without_a_verdict_keeps_the_local_domain_rule()
    {
        var state = InTransaction();

        var remote = SessionRules.Apply(state, CommandParser.Parse("RCPT TO:<c@elsewhere.example>"), Settings);
        var local = SessionRules.Apply(state, CommandParser.Parse("RCPT TO:<b@example.org>"), Settings);

        Assert.Equal("550 5.7.1 <c@elsewhere.example>... Relaying denied\r\n", Wire(remote.Reply!));
        Assert.Empty(remote.State.Transaction!.Recipients);
        Assert.Equal(SmtpReplies.RecipientOk, local.Reply);
    }

    [Fact]
    public void A_discard_verdict_at_mail_marks_the_transaction_and_later_recipients_keep_it()
    {
        var state = Run(new SessionState("192.0.2.1"), "EHLO client.example").State;

        var mail = SessionRules.Apply(state, CommandParser.Parse("MAIL FROM:<a@example.net>"), Settings, new Verdict(VerdictKind.Discard));
        var rcpt = SessionRules.Apply(mail.State, CommandParser.Parse("RCPT TO:<b@example.org>"), Settings, Verdict.Continue);

        Assert.Equal(SmtpReplies.SenderOk, mail.Reply);
        Assert.True(mail.State.Transaction!.Discard);
        Assert.Equal(SmtpReplies.RecipientOk, rcpt.Reply);
        Assert.True(rcpt.State.Transaction!.Discard);
    }

    [Fact]
    public void A_discard_verdict_at_rcpt_accepts_the_recipient_and_marks_the_transaction()
    {
        var state = InTransaction();

        var decision = SessionRules.Apply(state, CommandParser.Parse("RCPT TO:<c@elsewhere.example>"), Settings, new Verdict(VerdictKind.Discard));

        Assert.Equal(SmtpReplies.RecipientOk, decision.Reply);
        Assert.True(decision.State.Transaction!.Discard);
        Assert.Single(decision.State.Transaction.Recipients);
    }

    [Theory]
    [InlineData(454, "4.7.0", "encryption too weak 0 less than 128", "454 4.7.0 encryption too weak 0 less than 128\r\n")]
    [InlineData(403, "4.7.0", "not authenticated", "403 4.7.0 not authenticated\r\n")]
    [InlineData(451, "4.3.0", "Temporary system failure. Please try again later.", "451 4.3.0 Temporary system failure. Please try again later.\r\n")]
    [InlineData(550, "", "Access denied", "550 Access denied\r\n")]
    public void Verdict_to_reply_keeps_code_enhanced_status_and_text_on_the_wire(int code, string status, string text, string wire)
    {
        var verdict = Verdict.Reject(code, status, text, reason: "test");

        var reply = verdict.ToReply();

        Assert.Equal(code, (int)reply.Code);
        Assert.Equal(status, reply.Status?.ToString() ?? "");
        Assert.Equal([text], reply.Lines);
        Assert.Equal(wire, Wire(reply));
        Assert.Equal(verdict.Reply + "\r\n", Wire(reply));
    }

    private static SessionState RestrictedAfterEhlo() =>
        SessionRules.Restrict(Run(new SessionState("192.0.2.1"), "EHLO client.example").State, Refusal);

    private static SessionState InTransaction() =>
        Run(new SessionState("192.0.2.1"), "EHLO client.example", "MAIL FROM:<a@example.net>").State;

    private static Decision Run(SessionState state, params string[] lines)
    {
        Decision? decision = null;
        foreach (var line in lines)
        {
            decision = SessionRules.Apply(state, CommandParser.Parse(line), Settings);
            state = decision.State;
        }

        return decision!;
    }

    private static string Wire(Reply reply) => Encoding.UTF8.GetString(ReplyWriter.ToBytes(reply));
}
