using Gateway.Protocol.Status;

namespace Gateway.Actors.Status;

/// <param name="Host">The node's SMTP name ($j), shown in the table.</param>
/// <param name="Version">The gateway's version, shown in the table (a rolling upgrade shows two).</param>
/// <param name="PublishInterval">How often the node publishes its record: the table's refresh rate.</param>
public sealed record NodeStatusSettings(string Host, string Version, TimeSpan PublishInterval, TimeProvider Clock)
{
    /// <summary>Fast enough for a live table, slow enough that a 2 KB record per node is nothing to gossip.</summary>
    public static readonly TimeSpan DefaultPublishInterval = TimeSpan.FromSeconds(2);

    public TimeSpan HistoryInterval { get; init; } = TimeSpan.FromSeconds(StatusSeries.DefaultIntervalSeconds);

    public int HistoryCapacity { get; init; } = StatusSeries.DefaultCapacity;

    /// <summary>How long the actors asked for the queue, generator and map state may take; a silent one leaves its last state.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A record that has not changed for this long is shown as stale: its node stopped publishing.</summary>
    public TimeSpan StaleAfter => PublishInterval * 4;
}
