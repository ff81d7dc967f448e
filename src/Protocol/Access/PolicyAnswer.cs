namespace Gateway.Protocol.Access;

/// <summary>A policy decision with the lookups that led to it (for the log and <c>gateway map test</c>).</summary>
public sealed record PolicyAnswer(Verdict Verdict, IReadOnlyList<LookupResult> Lookups)
{
    /// <summary>For Srv_Features: what the client gets offered.</summary>
    public ServerFeatures Features { get; init; } = ServerFeatures.Default;

    /// <summary>For Try_TLS (R20, R64): false when the map says NO, so the client does not send STARTTLS and <c>{verify}</c> is NONE.</summary>
    public bool TryTls { get; init; } = true;

    /// <summary>For Clt_Features: the features used towards this server.</summary>
    public ClientFeatures ClientFeatures { get; init; } = ClientFeatures.Default;
}
