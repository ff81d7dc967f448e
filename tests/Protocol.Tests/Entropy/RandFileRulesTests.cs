using Gateway.Protocol.Entropy;

namespace Gateway.Protocol.Tests.Entropy;

/// <summary>SPEC R73 as R79 states it: the rows decidable from the facts the Gateway gathered about a rand file.</summary>
public class RandFileRulesTests
{
    private const string Path = "/etc/mail/randfile";
    private const string NotSeeded = "STARTTLS: Warning: random number generator not properly seeded";

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // The log column lists the expected lines in order, separated by '|'; <p> stands for the path.
    [Theory]
    [InlineData(1024, 599, false, false, SeedStatus.Ok, "")]
    [InlineData(1024, 600, false, false, SeedStatus.Ok, "")]
    [InlineData(1024, 601, false, false, SeedStatus.Failed, "STARTTLS: RandFile <p> too old: unusable")]
    [InlineData(1024, 601, false, true, SeedStatus.Weak, "STARTTLS: RandFile <p> too old: unsafe|" + NotSeeded)]
    [InlineData(100, 10, false, false, SeedStatus.Failed, "STARTTLS: size(<p>) < 128: unusable")]
    [InlineData(100, 10, false, true, SeedStatus.Weak, "STARTTLS: size(<p>) < 128: unsafe|" + NotSeeded)]
    [InlineData(127, 10, false, false, SeedStatus.Failed, "STARTTLS: size(<p>) < 128: unusable")]
    [InlineData(128, 10, false, false, SeedStatus.Ok, "")]
    [InlineData(1024, 10, true, false, SeedStatus.Failed, "STARTTLS: Warning: safeopen(<p>) failed")]
    [InlineData(1024, 10, true, true, SeedStatus.Weak, "STARTTLS: Warning: safeopen(<p>) failed|" + NotSeeded)]
    [InlineData(100, 601, false, false, SeedStatus.Failed, "STARTTLS: RandFile <p> too old: unusable|STARTTLS: size(<p>) < 128: unusable")]
    [InlineData(100, 601, false, true, SeedStatus.Weak, "STARTTLS: RandFile <p> too old: unsafe|STARTTLS: size(<p>) < 128: unsafe|" + NotSeeded)]
    public void Each_row_of_R79_gives_its_status_and_exactly_its_log_lines(
        long bytes, int ageSeconds, bool unsafeFile, bool insufficientEntropy, SeedStatus status, string log)
    {
        var facts = new RandFileFacts(Path, unsafeFile ? "group-readable (mode 0644)" : null, Now.AddSeconds(-ageSeconds), bytes);

        var outcome = RandFileRules.Judge(facts, Now, insufficientEntropy);

        Assert.Equal(status, outcome.Status);
        Assert.Equal(status != SeedStatus.Failed, outcome.TlsOn);
        Assert.Equal(Lines(log), outcome.Log);
    }

    [Fact]
    public void A_stale_file_fails_but_still_reports_the_bytes_it_loaded()
    {
        var facts = new RandFileFacts(Path, UnsafeReason: null, Now.AddSeconds(-601), BytesRead: 1024);

        var outcome = RandFileRules.Judge(facts, Now, insufficientEntropy: false);

        Assert.Equal(SeedStatus.Failed, outcome.Status);
        Assert.Equal(1024, outcome.BytesSeeded);
    }

    [Fact]
    public void An_unsafe_file_is_not_read_so_it_seeds_no_bytes_and_its_age_and_size_are_not_reported()
    {
        var facts = new RandFileFacts(Path, "world-writable directory", Now.AddSeconds(-601), BytesRead: 100);

        var outcome = RandFileRules.Judge(facts, Now, insufficientEntropy: false);

        Assert.Equal(0, outcome.BytesSeeded);
        Assert.Equal(["STARTTLS: Warning: safeopen(/etc/mail/randfile) failed"], outcome.Log);
    }

    [Fact]
    public void Age_is_measured_between_instants_whatever_the_offsets()
    {
        var modified = new DateTimeOffset(2026, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddSeconds(-600);
        var facts = new RandFileFacts(Path, UnsafeReason: null, modified, BytesRead: 1024);

        var outcome = RandFileRules.Judge(facts, Now, insufficientEntropy: false);

        Assert.Equal(SeedStatus.Ok, outcome.Status);
    }

    [Fact]
    public void A_modification_time_in_the_future_is_not_too_old()
    {
        var facts = new RandFileFacts(Path, UnsafeReason: null, Now.AddSeconds(30), BytesRead: 1024);

        var outcome = RandFileRules.Judge(facts, Now, insufficientEntropy: false);

        Assert.Equal(SeedStatus.Ok, outcome.Status);
        Assert.Empty(outcome.Log);
    }

    private static string[] Lines(string log) =>
        log.Length == 0 ? [] : log.Replace("<p>", Path, StringComparison.Ordinal).Split('|');
}
