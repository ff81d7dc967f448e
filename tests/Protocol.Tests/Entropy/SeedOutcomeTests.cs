using Gateway.Protocol.Entropy;

namespace Gateway.Protocol.Tests.Entropy;

/// <summary>SPEC R74/R75: a seeding attempt's verdict, and DontBlameSendmail=InsufficientEntropy.</summary>
public class SeedOutcomeTests
{
    private const string NotSeeded = "STARTTLS: Warning: random number generator not properly seeded";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Seeded_is_ok_with_tls_on_and_no_warning_whatever_the_flag(bool insufficientEntropy)
    {
        var outcome = SeedOutcome.From(seeded: true, bytes: 1024, [], insufficientEntropy);

        Assert.Equal(SeedStatus.Ok, outcome.Status);
        Assert.True(outcome.TlsOn);
        Assert.Equal(1024, outcome.BytesSeeded);
        Assert.Empty(outcome.Log);
    }

    [Fact]
    public void Not_seeded_without_the_flag_fails_with_tls_off_and_only_the_given_lines()
    {
        var outcome = SeedOutcome.From(seeded: false, bytes: 100, ["first", "second"], insufficientEntropy: false);

        Assert.Equal(SeedStatus.Failed, outcome.Status);
        Assert.False(outcome.TlsOn);
        Assert.Equal(100, outcome.BytesSeeded);
        Assert.Equal(["first", "second"], outcome.Log);
    }

    [Fact]
    public void Not_seeded_with_the_flag_is_weak_with_tls_on_and_the_R75_warning_last()
    {
        var outcome = SeedOutcome.From(seeded: false, bytes: 100, ["first", "second"], insufficientEntropy: true);

        Assert.Equal(SeedStatus.Weak, outcome.Status);
        Assert.True(outcome.TlsOn);
        Assert.Equal(100, outcome.BytesSeeded);
        Assert.Equal(["first", "second", NotSeeded], outcome.Log);
    }

    [Fact]
    public void Not_seeded_with_the_flag_and_no_lines_logs_the_warning_alone()
    {
        var outcome = SeedOutcome.From(seeded: false, bytes: 0, [], insufficientEntropy: true);

        Assert.Equal([NotSeeded], outcome.Log);
    }

    [Fact]
    public void The_callers_log_list_is_not_changed()
    {
        var log = new List<string> { "first" };

        SeedOutcome.From(seeded: false, bytes: 0, log, insufficientEntropy: true);

        Assert.Equal(["first"], log);
    }

    [Theory]
    [InlineData(SeedStatus.Ok, true)]
    [InlineData(SeedStatus.Weak, true)]
    [InlineData(SeedStatus.Failed, false)]
    public void Tls_is_off_only_when_seeding_failed(SeedStatus status, bool tlsOn)
    {
        var outcome = new SeedOutcome(status, 0, []);

        Assert.Equal(tlsOn, outcome.TlsOn);
    }
}
