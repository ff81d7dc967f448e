using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class CertRegexTests
{
    [Fact]
    public void R61_a_substring_selector_returns_the_capture_group()
    {
        var regex = CertRegex.Parse("-s1 /CN=([^/]*)", out var error);

        Assert.Null(error);
        Assert.Equal("relay1.example.com", regex!.Transform("/C=US/O=Example+20Corp/CN=relay1.example.com"));
    }

    [Fact]
    public void R61_a_dn_the_expression_does_not_match_goes_into_the_lookup_unchanged()
    {
        var regex = CertRegex.Parse("-s1 /CN=([^/]*)", out _);

        Assert.Equal("/C=US/O=Example+20Corp", regex!.Transform("/C=US/O=Example+20Corp"));
    }

    [Fact]
    public void R61_matching_ignores_case_by_default()
    {
        var regex = CertRegex.Parse("-s1 /CN=([^/]*)", out _);

        Assert.Equal("relay1.example.com", regex!.Transform("/c=US/cn=relay1.example.com"));
    }

    [Fact]
    public void R61_the_case_flag_makes_matching_case_sensitive()
    {
        var regex = CertRegex.Parse("-f -s1 /CN=([^/]*)", out var error);

        Assert.Null(error);
        Assert.Equal("/c=US/cn=relay1.example.com", regex!.Transform("/c=US/cn=relay1.example.com"));
        Assert.Equal("relay1.example.com", regex.Transform("/C=US/CN=relay1.example.com"));
    }

    [Fact]
    public void R61_several_groups_are_joined_by_the_delimiter()
    {
        var regex = CertRegex.Parse("-s1,2 -d. /O=([^/]*)/CN=([^/]*)", out var error);

        Assert.Null(error);
        Assert.Equal("Example+20Corp.relay1.example.com", regex!.Transform("/C=US/O=Example+20Corp/CN=relay1.example.com"));
    }

    [Fact]
    public void Several_groups_are_joined_by_a_space_without_a_delimiter_flag()
    {
        var regex = CertRegex.Parse("-s2,1 /O=([^/]*)/CN=([^/]*)", out _);

        Assert.Equal("relay1.example.com Example+20Corp", regex!.Transform("/C=US/O=Example+20Corp/CN=relay1.example.com"));
    }

    [Fact]
    public void Without_a_selector_a_matching_dn_is_kept_whole()
    {
        var regex = CertRegex.Parse("/O=Example", out var error);

        Assert.Null(error);
        Assert.Equal("/C=US/O=Example+20Corp/CN=x", regex!.Transform("/C=US/O=Example+20Corp/CN=x"));
        Assert.Equal("-s1 /CN=([^/]*)", CertRegex.Parse("-s1 /CN=([^/]*)", out _)!.Spec);
    }

    [Theory]
    [InlineData("-s1", "'-s1' has no regular expression")]
    [InlineData("", "'' has no regular expression")]
    [InlineData("-sx /CN=([^/]*)", "'-sx': -s takes capture group numbers, e.g. -s1 or -s1,2")]
    [InlineData("-s /CN=([^/]*)", "'-s': -s takes capture group numbers, e.g. -s1 or -s1,2")]
    [InlineData("-q /CN=([^/]*)", "'-q' is not a supported regex map flag (-s, -d, -f)")]
    [InlineData("-s2 /CN=([^/]*)", "'-s2 /CN=([^/]*)': the expression has no capture group 2")]
    [InlineData("-s1 /CN=(", "'-s1 /CN=(': Invalid pattern '/CN=('")] // the rest is .NET's own wording
    public void A_definition_that_cannot_be_used_is_an_error_naming_the_flag_or_the_definition(string spec, string reason)
    {
        var regex = CertRegex.Parse(spec, out var error);

        Assert.Null(regex);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }
}
