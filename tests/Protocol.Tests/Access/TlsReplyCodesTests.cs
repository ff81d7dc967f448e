using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class TlsReplyCodesTests
{
    [Theory]
    [InlineData(RequirementPrefix.None, ReplyCodeStyle.Sendmail, 454, "4.7.0")]
    [InlineData(RequirementPrefix.Temp, ReplyCodeStyle.Sendmail, 403, "4.7.0")]
    [InlineData(RequirementPrefix.Perm, ReplyCodeStyle.Sendmail, 503, "5.7.0")]
    [InlineData(RequirementPrefix.None, ReplyCodeStyle.SendmailPermErr, 554, "5.7.0")]
    [InlineData(RequirementPrefix.Temp, ReplyCodeStyle.SendmailPermErr, 403, "4.7.0")]
    [InlineData(RequirementPrefix.Perm, ReplyCodeStyle.SendmailPermErr, 503, "5.7.0")]
    [InlineData(RequirementPrefix.None, ReplyCodeStyle.Rfc, 454, "4.7.0")]
    [InlineData(RequirementPrefix.Temp, ReplyCodeStyle.Rfc, 454, "4.7.0")]
    [InlineData(RequirementPrefix.Perm, ReplyCodeStyle.Rfc, 554, "5.7.0")]
    public void R53_each_prefix_and_style_has_its_code(RequirementPrefix prefix, ReplyCodeStyle style, int code, string status)
    {
        var pair = TlsReplyCodes.For(prefix, style);

        Assert.Equal((code, status), pair);
    }
}
