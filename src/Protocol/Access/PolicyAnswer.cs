namespace Gateway.Protocol.Access;

/// <summary>A policy decision with the lookups that led to it (for the log and <c>gateway map test</c>).</summary>
public sealed record PolicyAnswer(Verdict Verdict, IReadOnlyList<LookupResult> Lookups)
{
    /// <summary>For Srv_Features: what the client gets offered.</summary>
    public ServerFeatures Features { get; init; } = ServerFeatures.Default;
}
