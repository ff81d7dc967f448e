namespace Gateway.Cli;

/// <summary>
/// One <c>gateway map test</c>: the <see cref="Query"/> for the trace, the configuration and map to read (a --map
/// overrides Access:MapFile), and whether to print JSON.
/// </summary>
internal sealed record MapTestPlan(MapTestQuery Query, string? ConfigFile, string? MapFile, bool Json);
