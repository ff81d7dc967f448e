using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class RequirementTests
{
    [Theory]
    [InlineData("VERIFY", RequirementPrefix.None, true, 0)]
    [InlineData("VERIFY:112", RequirementPrefix.None, true, 112)]
    [InlineData("ENCR:128", RequirementPrefix.None, false, 128)]
    [InlineData("PERM+VERIFY:112", RequirementPrefix.Perm, true, 112)]
    [InlineData("TEMP+ENCR:56", RequirementPrefix.Temp, false, 56)]
    [InlineData("temp+encr:56", RequirementPrefix.Temp, false, 56)]
    [InlineData(" verify ", RequirementPrefix.None, true, 0)]
    public void The_prefix_core_and_bits_are_read(string value, RequirementPrefix prefix, bool verify, int bits)
    {
        var requirement = Requirement.Parse(value, out var error);

        Assert.Null(error);
        Assert.NotNull(requirement);
        Assert.Equal((prefix, verify, bits), (requirement.Prefix, requirement.Verify, requirement.Bits));
        Assert.Empty(requirement.Extensions);
    }

    [Fact]
    public void Extensions_are_separated_by_a_double_plus_and_kept_in_order()
    {
        var requirement = Requirement.Parse("VERIFY+CN++CN:mx.example.org++CS:/CN=a+20b++CI:/CN=Root++CITag:BankCA", out var error);

        Assert.Null(error);
        Assert.Equal<RequirementExtension>(
            [
                new RequirementExtension.CommonName(null),
                new RequirementExtension.CommonName("mx.example.org"),
                new RequirementExtension.CertSubject("/CN=a+20b"),
                new RequirementExtension.CertIssuer("/CN=Root"),
                new RequirementExtension.IssuerTag("BankCA"),
            ],
            requirement!.Extensions);
    }

    [Theory]
    [InlineData("OK")]
    [InlineData("RELAY")]
    [InlineData("any text at all")]
    [InlineData("")]
    public void A_value_whose_core_is_not_verify_or_encr_is_no_requirement(string value)
    {
        var requirement = Requirement.Parse(value, out var error);

        Assert.Null(requirement);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("VERIFY:abc")]
    [InlineData("VERIFY:")]
    [InlineData("VERIFY:-1")]
    [InlineData("VERIFY: 112")]
    [InlineData("ENCR")]
    [InlineData("ENCR:")]
    [InlineData("ENCRYPT:128")]
    [InlineData("VERIFYX")]
    [InlineData("PERM+OK")]
    [InlineData("TEMP+")]
    [InlineData("VERIFY+XX:y")]
    [InlineData("VERIFY+")]
    [InlineData("VERIFY+CN:")]
    [InlineData("VERIFY+CITag:")]
    [InlineData("VERIFY+CN+CS:/CN=x")]
    public void A_value_that_starts_like_a_requirement_but_cannot_be_read_is_an_error(string value)
    {
        var requirement = Requirement.Parse(value, out var error);

        Assert.Null(requirement);
        Assert.NotNull(error);
        Assert.Contains(value, error, StringComparison.Ordinal);
    }
}
