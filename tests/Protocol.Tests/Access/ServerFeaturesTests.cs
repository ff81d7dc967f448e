using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class ServerFeaturesTests
{
    [Theory]
    [InlineData("v", null, true)]
    [InlineData("V", null, false)]
    [InlineData("s", true, null)]
    [InlineData("S", false, null)]
    [InlineData("S V", false, false)]
    [InlineData("s\tv", true, true)]
    [InlineData("sV", true, false)]
    [InlineData("s,v", true, true)]
    [InlineData("A P l v", null, true)]
    [InlineData("", null, null)]
    public void R63_lower_case_turns_a_tls_feature_on_and_upper_case_off(string value, bool? offerStartTls, bool? requestCertificate)
    {
        var features = ServerFeatures.Parse(value, out var error);

        Assert.Null(error);
        Assert.Equal(new ServerFeatures(offerStartTls, requestCertificate), features);
    }

    [Fact]
    public void R63_every_sendmail_letter_is_accepted()
    {
        ServerFeatures.Parse("S s V v A a P p L l c B D E X h F o", out var error);

        Assert.Null(error);
    }

    [Theory]
    [InlineData("q")]
    [InlineData("v Z")]
    [InlineData("v1")]
    public void An_unknown_letter_is_an_error(string value)
    {
        ServerFeatures.Parse(value, out var error);

        Assert.NotNull(error);
        Assert.Contains("is not a server feature letter", error, StringComparison.Ordinal);
    }
}
