using Gateway.Protocol.Entropy;

namespace Gateway.Protocol.Tests.Entropy;

/// <summary>SPEC R71/R72: the <c>Entropy:RandFile</c> value, and the rows of R79 that turn on its syntax.</summary>
public class RandSourceTests
{
    private const string Missing = "STARTTLS: Error: missing random file definition";

    [Fact]
    public void Unset_is_the_kernel_device_and_no_error()
    {
        var source = RandSource.Parse(null, out var error);

        Assert.Same(RandSource.Kernel.Instance, source);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("file:")]
    [InlineData("egd:")]
    [InlineData("FILE:")]
    [InlineData("Egd:")]
    public void An_empty_value_or_a_prefix_alone_is_a_missing_definition(string value)
    {
        var source = RandSource.Parse(value, out var error);

        Assert.Null(source);
        Assert.Equal(Missing, error);
    }

    [Theory]
    [InlineData("/etc/mail/randfile")]
    [InlineData("rand:/etc/mail/randfile")]
    [InlineData("dev:/dev/urandom")]
    [InlineData("file/etc/mail/randfile")]
    [InlineData("files:/etc/mail/randfile")]
    [InlineData("egd/var/run/egd-pool")]
    public void A_value_without_a_known_prefix_is_no_proper_definition_and_names_the_value(string value)
    {
        var source = RandSource.Parse(value, out var error);

        Assert.Null(source);
        Assert.Equal($"STARTTLS: Error: no proper random file definition {value}", error);
    }

    [Theory]
    [InlineData("file:/etc/mail/randfile", "/etc/mail/randfile")]
    [InlineData("File:/etc/mail/randfile", "/etc/mail/randfile")]
    [InlineData("FILE:/etc/mail/randfile", "/etc/mail/randfile")]
    [InlineData("fIlE:/etc/mail/randfile", "/etc/mail/randfile")]
    [InlineData("file:/var/Mail/Rand File:2", "/var/Mail/Rand File:2")]
    [InlineData("file:relative/RANDFILE", "relative/RANDFILE")]
    [InlineData("file:egd:/var/run/egd-pool", "egd:/var/run/egd-pool")]
    public void A_file_prefix_in_any_case_keeps_the_path_exactly(string value, string path)
    {
        var source = RandSource.Parse(value, out var error);

        Assert.Equal(new RandSource.File(path), source);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("egd:/var/run/egd-pool", "/var/run/egd-pool")]
    [InlineData("EGD:/var/run/egd-pool", "/var/run/egd-pool")]
    [InlineData("eGd:/var/run/egd-pool", "/var/run/egd-pool")]
    [InlineData("egd:/Var/Run/EGD Pool", "/Var/Run/EGD Pool")]
    [InlineData("egd:file:/x", "file:/x")]
    public void An_egd_prefix_in_any_case_keeps_the_socket_path_exactly(string value, string path)
    {
        var source = RandSource.Parse(value, out var error);

        Assert.Equal(new RandSource.Egd(path), source);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("/etc/mail/randfile", false, SeedStatus.Failed)]
    [InlineData("", false, SeedStatus.Failed)]
    [InlineData("/etc/mail/randfile", true, SeedStatus.Weak)]
    [InlineData("", true, SeedStatus.Weak)]
    public void A_bad_definition_turns_tls_off_unless_insufficient_entropy_is_set(string value, bool insufficientEntropy, SeedStatus status)
    {
        RandSource.Parse(value, out var error);

        var outcome = SeedOutcome.From(seeded: false, bytes: 0, [error!], insufficientEntropy);

        Assert.Equal(status, outcome.Status);
        Assert.Equal(insufficientEntropy, outcome.TlsOn);
        Assert.Equal(error, outcome.Log[0]);
    }
}
