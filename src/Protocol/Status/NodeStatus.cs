namespace Gateway.Protocol.Status;

/// <summary>
/// What one node tells the cluster about itself, every few seconds: enough for any node to draw the whole cluster's
/// table and charts (<c>gateway status</c>, the status page) without asking the others. Small on purpose (about 2 KB
/// as JSON with its history): it is gossiped to every member.
/// </summary>
/// <param name="Node">The node's cluster address (akka.tcp://gateway@host:port).</param>
/// <param name="Host">Its SMTP name, sendmail's <c>$j</c>: what the operator recognises.</param>
/// <param name="Version">The gateway's version (the assembly's informational version).</param>
/// <param name="Started">When the node started, by its clock.</param>
/// <param name="Updated">When this record was made, by its clock: a record that stops changing tells of a node that stopped publishing.</param>
/// <param name="State">serving, draining or stopping.</param>
/// <param name="Verify">How many server handshakes ended with each <c>{verify}</c> value (SPEC R40), since start.</param>
public sealed record NodeStatus(
    string Node,
    string Host,
    string Version,
    DateTimeOffset Started,
    DateTimeOffset Updated,
    string State,
    SessionCounts Sessions,
    TrafficCounts Traffic,
    IReadOnlyDictionary<string, long> Verify,
    QueueSummary Queue,
    EntropySummary Entropy,
    MapSummary? Map,
    StatusSeries History)
{
    public const string Serving = "serving";

    public const string Draining = "draining";

    public const string Stopping = "stopping";
}
