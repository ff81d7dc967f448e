using System.Text;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Tests.Commands;

public class ParameterParserTests
{
    [Fact]
    public void Size_is_the_declared_message_size()
    {
        var parameters = Mail("MAIL FROM:<a@example.org> SIZE=123456");

        Assert.Equal(123456, parameters.Size);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.org> SIZE=abc")]
    [InlineData("MAIL FROM:<a@example.org> SIZE=")]
    [InlineData("MAIL FROM:<a@example.org> SIZE")]
    [InlineData("MAIL FROM:<a@example.org> SIZE=-1")]
    [InlineData("MAIL FROM:<a@example.org> SIZE=1000000000000000000")]
    public void A_malformed_size_is_501(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
        Assert.Equal(new EnhancedStatus(5, 5, 4), reply.Status);
    }

    [Theory]
    [InlineData("BODY=7BIT", BodyType.SevenBit)]
    [InlineData("BODY=8BITMIME", BodyType.EightBitMime)]
    [InlineData("body=8bitmime", BodyType.EightBitMime)]
    public void Body_is_7bit_or_8bitmime(string parameter, BodyType body)
    {
        var parameters = Mail($"MAIL FROM:<a@example.org> {parameter}");

        Assert.Equal(body, parameters.Body);
    }

    [Theory]
    [InlineData("BODY=BINARYMIME")]
    [InlineData("BODY=")]
    [InlineData("BODY")]
    public void Any_other_body_is_501(string parameter)
    {
        var reply = Refusal($"MAIL FROM:<a@example.org> {parameter}");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
    }

    [Fact]
    public void Smtputf8_is_a_flag()
    {
        var parameters = Mail("MAIL FROM:<a@example.org> SMTPUTF8");

        Assert.True(parameters.SmtpUtf8);
    }

    [Fact]
    public void Smtputf8_with_a_value_is_501()
    {
        var reply = Refusal("MAIL FROM:<a@example.org> SMTPUTF8=YES");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
    }

    [Theory]
    [InlineData("RET=FULL", DsnReturn.Full)]
    [InlineData("RET=HDRS", DsnReturn.Headers)]
    [InlineData("ret=hdrs", DsnReturn.Headers)]
    public void Ret_is_full_or_headers(string parameter, DsnReturn ret)
    {
        var parameters = Mail($"MAIL FROM:<a@example.org> {parameter}");

        Assert.Equal(ret, parameters.Ret);
    }

    [Fact]
    public void Any_other_ret_is_501()
    {
        var reply = Refusal("MAIL FROM:<a@example.org> RET=BODY");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
    }

    [Theory]
    [InlineData("QQ314159")]
    [InlineData("a+2Bb+3Dc")]
    [InlineData("+2B")]
    public void Envid_is_kept_as_xtext(string envid)
    {
        var parameters = Mail($"MAIL FROM:<a@example.org> ENVID={envid}");

        Assert.Equal(envid, parameters.EnvId);
    }

    [Fact]
    public void Envid_of_100_characters_is_accepted()
    {
        var parameters = Mail($"MAIL FROM:<a@example.org> ENVID={new string('x', 100)}");

        Assert.Equal(100, parameters.EnvId?.Length);
    }

    [Theory]
    [InlineData("a+2b")]
    [InlineData("a+2")]
    [InlineData("a+")]
    [InlineData("a+ZZ")]
    [InlineData("a=b")]
    [InlineData("")]
    public void Envid_that_is_not_xtext_is_501(string envid)
    {
        var reply = Refusal($"MAIL FROM:<a@example.org> ENVID={envid}");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
    }

    [Fact]
    public void Envid_of_101_characters_is_501()
    {
        var reply = Refusal($"MAIL FROM:<a@example.org> ENVID={new string('x', 101)}");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
    }

    [Fact]
    public void All_mail_parameters_together_are_kept_whatever_their_case()
    {
        var parameters = Mail("MAIL FROM:<> size=10 Body=7BIT ret=FULL envid=X smtputf8");

        Assert.Equal(new MailParameters(10, BodyType.SevenBit, true, DsnReturn.Full, "X"), parameters);
    }

    [Theory]
    [InlineData("NOTIFY=NEVER", DsnNotify.Never)]
    [InlineData("NOTIFY=SUCCESS", DsnNotify.Success)]
    [InlineData("NOTIFY=SUCCESS,FAILURE,DELAY", DsnNotify.Success | DsnNotify.Failure | DsnNotify.Delay)]
    [InlineData("notify=delay,failure", DsnNotify.Failure | DsnNotify.Delay)]
    public void Notify_is_never_or_a_list_of_conditions(string parameter, DsnNotify notify)
    {
        var parameters = Rcpt($"RCPT TO:<b@example.org> {parameter}");

        Assert.Equal(notify, parameters.Notify);
    }

    [Theory]
    [InlineData("NOTIFY=NEVER,SUCCESS")]
    [InlineData("NOTIFY=FAILURE,NEVER")]
    [InlineData("NOTIFY=SUCCESS,SUCCESS")]
    [InlineData("NOTIFY=SUCCESS,")]
    [InlineData("NOTIFY=SOMETIMES")]
    [InlineData("NOTIFY")]
    public void A_malformed_notify_is_501(string parameter)
    {
        var reply = Refusal($"RCPT TO:<b@example.org> {parameter}");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
        Assert.Equal(new EnhancedStatus(5, 5, 4), reply.Status);
    }

    [Fact]
    public void Orcpt_is_kept_with_its_address_type()
    {
        var parameters = Rcpt("RCPT TO:<b@example.org> ORCPT=rfc822;a+2Bb@x");

        Assert.Equal("rfc822;a+2Bb@x", parameters.Orcpt);
    }

    [Theory]
    [InlineData("ORCPT=rfc822")]
    [InlineData("ORCPT=;a@x")]
    [InlineData("ORCPT=rfc822;a+2b@x")]
    [InlineData("ORCPT=rfc_822;a@x")]
    public void A_malformed_orcpt_is_501(string parameter)
    {
        var reply = Refusal($"RCPT TO:<b@example.org> {parameter}");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
    }

    [Fact]
    public void Orcpt_over_500_characters_is_501()
    {
        var reply = Refusal($"RCPT TO:<b@example.org> ORCPT=rfc822;{new string('a', 494)}");

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.org> AUTH=<>")]
    [InlineData("MAIL FROM:<a@example.org> NOTIFY=NEVER")]
    [InlineData("MAIL FROM:<a@example.org> X-FOO")]
    [InlineData("RCPT TO:<b@example.org> SIZE=10")]
    [InlineData("RCPT TO:<b@example.org> X-FOO=1")]
    public void An_unknown_parameter_is_555(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(ReplyCode.ParametersNotRecognized, reply.Code);
        Assert.Equal(new EnhancedStatus(5, 5, 4), reply.Status);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.org> SIZE=1 SIZE=2", "SIZE")]
    [InlineData("MAIL FROM:<a@example.org> BODY=7BIT body=8BITMIME", "BODY")]
    [InlineData("MAIL FROM:<a@example.org> SMTPUTF8 SMTPUTF8", "SMTPUTF8")]
    [InlineData("MAIL FROM:<a@example.org> RET=FULL RET=HDRS", "RET")]
    [InlineData("MAIL FROM:<a@example.org> ENVID=a ENVID=b", "ENVID")]
    [InlineData("RCPT TO:<b@example.org> NOTIFY=NEVER NOTIFY=NEVER", "NOTIFY")]
    [InlineData("RCPT TO:<b@example.org> ORCPT=rfc822;a@x ORCPT=rfc822;b@x", "ORCPT")]
    public void A_repeated_parameter_is_501(string line, string keyword)
    {
        var reply = Refusal(line);

        Assert.Equal(SmtpReplies.ParameterDuplicate(keyword), reply);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.org> =1")]
    [InlineData("MAIL FROM:<a@example.org> -X=1")]
    [InlineData("MAIL FROM:<a@example.org> SI_ZE=1")]
    public void A_malformed_keyword_is_501(string line)
    {
        var reply = Refusal(line);

        Assert.Equal(ReplyCode.ParameterSyntaxError, reply.Code);
    }

    private static MailParameters Mail(string line) =>
        Assert.IsType<SmtpCommand.Mail>(CommandParser.Parse(Encoding.UTF8.GetBytes(line))).Parameters;

    private static RcptParameters Rcpt(string line) =>
        Assert.IsType<SmtpCommand.Rcpt>(CommandParser.Parse(Encoding.UTF8.GetBytes(line))).Parameters;

    private static Reply Refusal(string line) =>
        Assert.IsType<SmtpCommand.Invalid>(CommandParser.Parse(Encoding.UTF8.GetBytes(line))).Reply;
}
