using System.Text;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Tests.Commands;

public class CommandParserTests
{
    [Theory]
    [InlineData("helo client.example", typeof(SmtpCommand.Helo))]
    [InlineData("HeLo client.example", typeof(SmtpCommand.Helo))]
    [InlineData("ehlo client.example", typeof(SmtpCommand.Ehlo))]
    [InlineData("eHlO client.example", typeof(SmtpCommand.Ehlo))]
    [InlineData("mail from:<a@example.org>", typeof(SmtpCommand.Mail))]
    [InlineData("MaIl FrOm:<a@example.org>", typeof(SmtpCommand.Mail))]
    [InlineData("rcpt to:<b@example.org>", typeof(SmtpCommand.Rcpt))]
    [InlineData("RcPt To:<b@example.org>", typeof(SmtpCommand.Rcpt))]
    [InlineData("data", typeof(SmtpCommand.Data))]
    [InlineData("DaTa", typeof(SmtpCommand.Data))]
    [InlineData("bdat 10 last", typeof(SmtpCommand.Bdat))]
    [InlineData("BdAt 10 LaSt", typeof(SmtpCommand.Bdat))]
    [InlineData("rset", typeof(SmtpCommand.Rset))]
    [InlineData("RsEt", typeof(SmtpCommand.Rset))]
    [InlineData("noop", typeof(SmtpCommand.Noop))]
    [InlineData("NoOp", typeof(SmtpCommand.Noop))]
    [InlineData("quit", typeof(SmtpCommand.Quit))]
    [InlineData("QuIt", typeof(SmtpCommand.Quit))]
    [InlineData("vrfy bob", typeof(SmtpCommand.Vrfy))]
    [InlineData("VrFy bob", typeof(SmtpCommand.Vrfy))]
    [InlineData("help", typeof(SmtpCommand.Help))]
    [InlineData("HeLp", typeof(SmtpCommand.Help))]
    [InlineData("starttls", typeof(SmtpCommand.StartTls))]
    [InlineData("StArTtLs", typeof(SmtpCommand.StartTls))]
    [InlineData("expn staff", typeof(SmtpCommand.NotImplemented))]
    public void Every_verb_is_case_insensitive(string line, Type expected)
    {
        var command = Parse(line);

        Assert.IsType(expected, command);
    }

    [Fact]
    public void Ehlo_keeps_the_client_domain()
    {
        var command = Parse("EHLO client.example");

        Assert.Equal(new SmtpCommand.Ehlo("client.example"), command);
    }

    [Theory]
    [InlineData("EHLO")]
    [InlineData("HELO  ")]
    [InlineData("EHLO two words")]
    public void Hello_without_a_single_domain_is_501(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(SmtpReplies.HeloSyntax, reply);
    }

    [Fact]
    public void Noop_with_an_argument_is_ok()
    {
        var command = Parse("NOOP are you there?");

        Assert.IsType<SmtpCommand.Noop>(command);
    }

    [Theory]
    [InlineData("QUIT now")]
    [InlineData("DATA please")]
    [InlineData("RSET all")]
    public void A_verb_without_parameters_given_one_is_501(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
        Assert.Equal(SmtpReplies.NoParametersAllowed, reply);
    }

    [Theory]
    [InlineData("STARTTLS x")]
    [InlineData("starttls  now please")]
    public void STARTTLS_with_an_argument_is_refused_with_sendmails_501_5_5_2(string line)
    {
        // SPEC R2, R3 row 1: checked before anything else, whatever the session state.
        var invalid = Assert.IsType<SmtpCommand.Invalid>(CommandParser.Parse(line));

        Assert.Equal("501 5.5.2 Syntax error (no parameters allowed)", invalid.Reply.ToString());
    }

    [Theory]
    [InlineData("STARTTLS")]
    [InlineData("starttls  ")]
    [InlineData("  StartTLS")]
    public void STARTTLS_is_matched_without_regard_to_case_or_blanks(string line) =>
        Assert.IsType<SmtpCommand.StartTls>(CommandParser.Parse(line));

    [Fact]
    public void Quit_followed_by_blanks_only_is_quit()
    {
        var command = Parse("QUIT  \t");

        Assert.IsType<SmtpCommand.Quit>(command);
    }

    [Theory]
    [InlineData("BDAT 100", 100L, false)]
    [InlineData("BDAT 0 LAST", 0L, true)]
    [InlineData("BDAT 999999999999999999", 999_999_999_999_999_999L, false)]
    public void Bdat_carries_its_size_and_last_flag(string line, long size, bool last)
    {
        var command = Parse(line);

        Assert.Equal(new SmtpCommand.Bdat(size, last), command);
    }

    [Theory]
    [InlineData("BDAT x")]
    [InlineData("BDAT")]
    [InlineData("BDAT -1")]
    [InlineData("BDAT +1")]
    [InlineData("BDAT 1 FIRST")]
    [InlineData("BDAT 1 LAST more")]
    [InlineData("BDAT 1000000000000000000")]
    public void A_malformed_bdat_is_501(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(SmtpReplies.BdatSyntax, reply);
    }

    [Theory]
    [InlineData("GET / HTTP/1.0", "GET")]
    [InlineData("POST /x", "POST")]
    [InlineData("CONNECT host:80", "CONNECT")]
    [InlineData("USER x", "USER")]
    [InlineData("get\t/", "GET")]
    public void An_http_or_proxy_verb_followed_by_a_blank_is_http_like(string line, string verb)
    {
        var command = Parse(line);

        Assert.Equal(new SmtpCommand.HttpLike(verb), command);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("GETS /")]
    [InlineData("FOO bar")]
    [InlineData("")]
    public void An_unknown_command_is_500(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(SmtpReplies.CommandUnrecognized, reply);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', (byte)' ', 0xFF })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', (byte)' ', 0xC0, 0xAF })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x00 })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', (byte)' ', 0x1B })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', (byte)' ', 0x7F })]
    public void Invalid_utf8_or_a_control_character_is_500(byte[] line)
    {
        var command = CommandParser.Parse(line);

        var reply = Assert.IsType<SmtpCommand.Invalid>(command).Reply;
        Assert.Equal(ReplyCode.SyntaxError, reply.Code);
        Assert.Equal(SmtpReplies.InvalidCharacters, reply);
    }

    [Fact]
    public void A_nul_inside_an_address_is_500()
    {
        var command = CommandParser.Parse("MAIL FROM:<a\0@example.org>"u8);

        Assert.Equal(SmtpReplies.InvalidCharacters, Assert.IsType<SmtpCommand.Invalid>(command).Reply);
    }

    [Fact]
    public void A_command_of_512_octets_with_its_crlf_is_parsed()
    {
        var line = "NOOP " + new string('x', 505);

        var command = Parse(line);

        Assert.IsType<SmtpCommand.Noop>(command);
    }

    [Fact]
    public void A_command_over_512_octets_is_line_too_long()
    {
        var line = "NOOP " + new string('x', 506);

        var reply = Refusal(line);

        Assert.Equal(SmtpReplies.LineTooLong, reply);
    }

    [Fact]
    public void A_mail_command_of_600_octets_is_parsed()
    {
        var path = "<" + new string('a', 64) + "@" + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 61) + ">";
        var line = $"MAIL FROM:{path} SIZE=1000 BODY=8BITMIME RET=HDRS ENVID={new string('e', 100)}{new string(' ', 186)}SMTPUTF8";

        var command = Parse(line);

        Assert.Equal(600, Encoding.UTF8.GetByteCount(line));
        var mail = Assert.IsType<SmtpCommand.Mail>(command);
        Assert.Equal(new MailParameters(1000, BodyType.EightBitMime, true, DsnReturn.Headers, new string('e', 100)), mail.Parameters);
    }

    [Fact]
    public void A_rcpt_command_with_a_long_orcpt_is_parsed()
    {
        var orcpt = "rfc822;" + new string('o', 480) + "@example.org";
        var line = $"RCPT TO:<{new string('b', 64)}@example.org> NOTIFY=SUCCESS,FAILURE ORCPT={orcpt}";

        var command = Parse(line);

        Assert.True(line.Length > 600);
        Assert.Equal(orcpt, Assert.IsType<SmtpCommand.Rcpt>(command).Parameters.Orcpt);
    }

    [Fact]
    public void Mail_from_the_null_sender_has_no_reverse_path()
    {
        var command = Parse("MAIL FROM:<>");

        Assert.Equal(new SmtpCommand.Mail(null, MailParameters.None), command);
    }

    [Fact]
    public void A_blank_between_the_colon_and_the_path_is_tolerated()
    {
        var command = Parse("MAIL FROM: <a@example.org>");

        Assert.Equal(new Mailbox("a", "example.org"), Assert.IsType<SmtpCommand.Mail>(command).ReversePath);
    }

    [Theory]
    [InlineData("MAIL FROM:a@example.org")]
    [InlineData("MAIL FROM:<a@example.org")]
    [InlineData("MAIL FROM:<a@example.org>SIZE=1")]
    [InlineData("MAIL TO:<a@example.org>")]
    [InlineData("MAIL <a@example.org>")]
    [InlineData("MAIL")]
    public void A_mail_without_from_and_a_bracketed_path_is_501(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(SmtpReplies.MailSyntax, reply);
    }

    [Theory]
    [InlineData("RCPT TO:b@example.org")]
    [InlineData("RCPT FROM:<b@example.org>")]
    [InlineData("RCPT TO:")]
    public void A_rcpt_without_to_and_a_bracketed_path_is_501(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(SmtpReplies.RcptSyntax, reply);
    }

    [Theory]
    [InlineData("MAIL FROM:<a>")]
    [InlineData("MAIL FROM:<a@>")]
    [InlineData("MAIL FROM:<a..b@example.org>")]
    [InlineData("MAIL FROM:<a@[1.2.3]>")]
    public void A_malformed_sender_is_501_5_1_7(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
        Assert.Equal(new EnhancedStatus(5, 1, 7), reply.Status);
    }

    [Fact]
    public void A_quoted_local_part_may_hold_a_closing_bracket()
    {
        var command = Parse("MAIL FROM:<\"a>b\"@example.org> SIZE=10");

        var mail = Assert.IsType<SmtpCommand.Mail>(command);
        Assert.Equal(new Mailbox("\"a>b\"", "example.org"), mail.ReversePath);
        Assert.Equal(10, mail.Parameters.Size);
    }

    [Fact]
    public void A_source_routed_recipient_is_its_final_mailbox()
    {
        var command = Parse("RCPT TO:<@x.example,@y.example:b@example.org>");

        Assert.Equal(new Mailbox("b", "example.org"), Assert.IsType<SmtpCommand.Rcpt>(command).ForwardPath);
    }

    [Theory]
    [InlineData("MAIL FROM:<josé@example.org>")]
    [InlineData("MAIL FROM:<a@exämple.org>")]
    public void A_utf8_sender_without_smtputf8_is_553_5_6_7(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(ReplyCode.MailboxNameNotAllowed, reply.Code);
        Assert.Equal(new EnhancedStatus(5, 6, 7), reply.Status);
    }

    [Fact]
    public void A_utf8_sender_with_smtputf8_is_accepted()
    {
        var command = Parse("MAIL FROM:<josé@exämple.org> SMTPUTF8");

        var mail = Assert.IsType<SmtpCommand.Mail>(command);
        Assert.Equal(new Mailbox("josé", "exämple.org"), mail.ReversePath);
        Assert.True(mail.Parameters.SmtpUtf8);
    }

    [Theory]
    [InlineData("RCPT TO:<postmaster>", "postmaster")]
    [InlineData("RCPT TO:<PostMaster>", "PostMaster")]
    public void A_recipient_postmaster_without_a_domain_is_accepted(string line, string localPart)
    {
        var command = Parse(line);

        Assert.Equal(new Mailbox(localPart, ""), Assert.IsType<SmtpCommand.Rcpt>(command).ForwardPath);
    }

    [Fact]
    public void Any_other_recipient_without_a_domain_is_501_5_1_3()
    {
        var reply = Refusal("RCPT TO:<bob>");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
        Assert.Equal(new EnhancedStatus(5, 1, 3), reply.Status);
    }

    [Fact]
    public void Vrfy_keeps_its_argument()
    {
        var command = Parse("VRFY  bob ");

        Assert.Equal(new SmtpCommand.Vrfy("bob"), command);
    }

    [Fact]
    public void Vrfy_without_an_argument_is_501()
    {
        var reply = Refusal("VRFY");

        Assert.Equal(SmtpReplies.VrfySyntax, reply);
    }

    private static SmtpCommand Parse(string line) => CommandParser.Parse(Encoding.UTF8.GetBytes(line));

    private static Reply Refusal(string line) => Assert.IsType<SmtpCommand.Invalid>(Parse(line)).Reply;
}
