using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class AccessActionTests
{
    [Theory]
    [InlineData("OK", VerdictKind.Ok)]
    [InlineData("RELAY", VerdictKind.Relay)]
    [InlineData("DISCARD", VerdictKind.Discard)]
    [InlineData("SKIP", VerdictKind.Continue)]
    [InlineData("relay", VerdictKind.Relay)]
    [InlineData(" Ok ", VerdictKind.Ok)]
    public void A_keyword_gives_its_verdict(string value, VerdictKind kind)
    {
        var verdict = AccessAction.Parse(value, out var error);

        Assert.Null(error);
        Assert.Equal(kind, verdict!.Kind);
        Assert.Equal("", verdict.Reply);
    }

    [Fact]
    public void Reject_is_sendmails_access_denied()
    {
        var verdict = AccessAction.Parse("REJECT", out var error);

        Assert.Null(error);
        Assert.Equal("550 5.7.1 Access denied", verdict!.Reply);
    }

    [Theory]
    [InlineData("ERROR:\"550 5.7.1 Go away\"", "550 5.7.1 Go away")]
    [InlineData("ERROR:550 5.7.1 Go away", "550 5.7.1 Go away")]
    [InlineData("ERROR:550 Go away", "550 5.7.1 Go away")]
    [InlineData("ERROR:\"550 Go away\"", "550 5.7.1 Go away")]
    [InlineData("ERROR:451 Try later", "451 4.7.1 Try later")]
    [InlineData("ERROR:\"421 4.3.2 Not now\"", "421 4.3.2 Not now")]
    [InlineData("ERROR:5.7.1:550 Go away", "550 5.7.1 Go away")]
    [InlineData("ERROR:4.2.0:450 Busy here", "450 4.2.0 Busy here")]
    [InlineData("ERROR:5.7.2:\"550 Quoted too\"", "550 5.7.2 Quoted too")]
    [InlineData("error:\"553 5.1.8 Bad sender domain\"", "553 5.1.8 Bad sender domain")]
    public void An_error_value_gives_its_reply(string value, string reply)
    {
        var verdict = AccessAction.Parse(value, out var error);

        Assert.Null(error);
        Assert.Equal(VerdictKind.Reject, verdict!.Kind);
        Assert.Equal(reply, verdict.Reply);
    }

    [Theory]
    [InlineData("ERROR:\"550 4.7.1 Go away\"")]
    [InlineData("ERROR:\"450 5.7.1 Go away\"")]
    [InlineData("ERROR:4.7.1:550 Go away")]
    [InlineData("ERROR:5.7.1:450 Go away")]
    public void An_enhanced_code_of_another_class_than_the_reply_code_is_refused(string value)
    {
        var verdict = AccessAction.Parse(value, out var error);

        Assert.Null(verdict);
        Assert.Contains("same class", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ERROR:\"Go away\"")]
    [InlineData("ERROR:Go away")]
    [InlineData("ERROR:550")]
    [InlineData("ERROR:250 Fine")]
    [InlineData("ERROR:")]
    [InlineData("ERROR:5.7.1:Go away")]
    public void An_error_value_without_a_4xx_or_5xx_code_and_text_is_refused(string value)
    {
        var verdict = AccessAction.Parse(value, out var error);

        Assert.Null(verdict);
        Assert.Equal($"'{value}': ERROR needs a 4xx or 5xx code and a text, e.g. ERROR:\"550 5.7.1 Go away\"", error);
    }

    [Theory]
    [InlineData("ALLOW")]
    [InlineData("")]
    [InlineData("VERIFY:112")]
    public void Any_other_value_is_refused(string value)
    {
        var verdict = AccessAction.Parse(value, out var error);

        Assert.Null(verdict);
        Assert.Equal($"'{value}' is not OK, RELAY, REJECT, DISCARD, SKIP or ERROR:\"code text\"", error);
    }
}
