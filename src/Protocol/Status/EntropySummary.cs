namespace Gateway.Protocol.Status;

/// <summary>The node's random generator (SPEC R71–R75): ok, weak or failed, its source, its last seeding and why it failed.</summary>
public sealed record EntropySummary(string Status, string Source, DateTimeOffset? LastSeeded, int Seedings, string? LastFailure)
{
    public static readonly EntropySummary Unknown = new("unknown", "", null, 0, "the entropy actor did not answer");
}
