namespace Gateway.Protocol.Entropy;

/// <summary>How seeding went (SPEC R74, R75), and what to log, in sendmail's words.</summary>
public enum SeedStatus
{
    /// <summary>Seeded properly: STARTTLS is offered.</summary>
    Ok,

    /// <summary>Not properly seeded but DontBlameSendmail=InsufficientEntropy: STARTTLS is offered anyway, with R75's warning.</summary>
    Weak,

    /// <summary>Not seeded: STARTTLS is not offered on this node (R39, R74); mail still flows in clear.</summary>
    Failed,
}

/// <summary>The verdict on one seeding attempt: its status, the seed bytes to mix in, and the log lines.</summary>
public sealed record SeedOutcome(SeedStatus Status, int BytesSeeded, IReadOnlyList<string> Log)
{
    public bool TlsOn => Status != SeedStatus.Failed;

    /// <summary>
    /// R74/R75: a source that failed is a failure unless InsufficientEntropy is set, which turns it into a weak
    /// success with sendmail's warning.
    /// </summary>
    public static SeedOutcome From(bool seeded, int bytes, IReadOnlyList<string> log, bool insufficientEntropy) =>
        seeded ? new SeedOutcome(SeedStatus.Ok, bytes, log)
        : insufficientEntropy ? new SeedOutcome(SeedStatus.Weak, bytes, [.. log, "STARTTLS: Warning: random number generator not properly seeded"])
        : new SeedOutcome(SeedStatus.Failed, bytes, log);
}
