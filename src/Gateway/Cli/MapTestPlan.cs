namespace Gateway.Cli;

/// <summary>
/// One <c>gateway map test</c>: the <see cref="Query"/> for a server-side trace, or with --server-name the
/// <see cref="Relay"/> query for a client-side one (exactly one is set); the configuration and map to read (a --map
/// overrides Access:MapFile), and whether to print JSON.
/// </summary>
internal sealed record MapTestPlan(MapTestQuery? Query, string? ConfigFile, string? MapFile, bool Json, MapRelayQuery? Relay = null);
