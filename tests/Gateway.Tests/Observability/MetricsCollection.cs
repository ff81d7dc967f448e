namespace Gateway.Tests.Observability;

/// <summary>
/// The actors' instruments are static (one "Gateway" meter per process, GatewayMetrics), so a node's /metrics counts
/// the sessions of every node alive in the process. Tests that assert exact counts run alone, after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Exact metrics";
}
