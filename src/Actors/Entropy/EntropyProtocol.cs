using Gateway.Protocol.Entropy;

namespace Gateway.Actors.Entropy;

/// <summary>Messages of the node's <see cref="EntropyActor"/>.</summary>
public static class EntropyProtocol
{
    /// <summary>
    /// The first seeding's outcome, told once to the subscriber named at creation: whether the node may offer
    /// STARTTLS (R74, R75). Later reseeds do not repeat it; they show in <see cref="EntropyStatus"/>.
    /// </summary>
    public sealed record Seeded(SeedOutcome Outcome);

    public sealed record GetEntropyStatus
    {
        public static readonly GetEntropyStatus Instance = new();
    }

    /// <summary>
    /// For health checks and the cluster status view: the source, the state of the generator, how many bytes of
    /// seed it has had in all, when it was last seeded, and the last failure (null when the last attempt worked; for
    /// a weak seeding, R75, why it was weak).
    /// </summary>
    public sealed record EntropyStatus(string Source, SeedStatus Status, long BytesSeeded, DateTimeOffset? LastSeeded, int Seedings, string? LastFailure)
    {
        /// <summary>One line for an administrator: the state, the source and, unless all is well, why.</summary>
        public string Summary() => Status switch
        {
            SeedStatus.Ok => $"seeded from {Source} ({BytesSeeded} bytes)",
            SeedStatus.Weak => $"WEAKLY seeded from {Source} (DontBlameSendmail=InsufficientEntropy, SPEC R75): {LastFailure}",
            _ => $"not seeded from {Source}: {LastFailure}",
        };
    }
}
