namespace Gateway.Protocol.Entropy;

/// <summary>SPEC R73: when a rand file may seed the generator. Pure; every row of R79 is a unit test.</summary>
public static class RandFileRules
{
    /// <summary>Older than this is stale: exactly 600 s is still fresh.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(600);

    /// <summary>Fewer bytes than this do not seed.</summary>
    public const int MinBytes = 128;

    /// <summary>
    /// The outcome for <paramref name="facts"/> at <paramref name="now"/>. An unsafe file is not read at all;
    /// a stale or small one was read but does not count as seeded (its bytes are mixed in all the same).
    /// </summary>
    public static SeedOutcome Judge(RandFileFacts facts, DateTimeOffset now, bool insufficientEntropy)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.UnsafeReason is not null)
        {
            return SeedOutcome.From(false, 0, [$"STARTTLS: Warning: safeopen({facts.Path}) failed"], insufficientEntropy);
        }

        var verdict = insufficientEntropy ? "unsafe" : "unusable";
        var log = new List<string>();
        if (now - facts.Modified > MaxAge)
        {
            log.Add($"STARTTLS: RandFile {facts.Path} too old: {verdict}");
        }

        if (facts.BytesRead < MinBytes)
        {
            log.Add($"STARTTLS: size({facts.Path}) < {MinBytes}: {verdict}");
        }

        return SeedOutcome.From(log.Count == 0, (int)Math.Min(facts.BytesRead, int.MaxValue), log, insufficientEntropy);
    }
}
