using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Gateway.Actors.Entropy;
using Gateway.Actors.Metrics;
using Gateway.Actors.Queue;
using Gateway.Protocol.Entropy;

namespace Gateway.Http;

/// <summary>
/// The node's gauges: queue depth by state, whether the generator is seeded, the cluster members Up. The actors'
/// state is asked for once per scrape (<see cref="RefreshAsync"/>, before the exporter reads the gauges), never on
/// the actors' hot path; the cluster's membership is Akka's own snapshot, read in the callback.
/// </summary>
internal sealed class NodeGauges : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly Meter _meter = new(GatewayMetrics.MeterName, "0.1");
    private readonly IActorRef _queue;
    private readonly IActorRef _entropy;
    private QueueProtocol.QueueStatus? _queueStatus;
    private int _seeded;

    public NodeGauges(ActorSystem system, IActorRef queue, IActorRef entropy)
    {
        _queue = queue;
        _entropy = entropy;
        var cluster = Cluster.Get(system);
        _meter.CreateObservableGauge("gateway.queue.messages", QueueMeasurements, "{message}", "Messages in this node's queue, by state (waiting, active, scheduled, held)");
        _meter.CreateObservableGauge(
            "gateway.queue.oldest.age",
            () => Volatile.Read(ref _queueStatus) is { Oldest: { } oldest } ? Math.Max(0, (DateTimeOffset.UtcNow - oldest).TotalSeconds) : 0,
            "s",
            "Age of the oldest message in this node's queue; 0 when it is empty");
        _meter.CreateObservableGauge("gateway.entropy.seeded", () => Volatile.Read(ref _seeded), null, "1 when the node's generator is seeded (STARTTLS offered), else 0");
        _meter.CreateObservableGauge(
            "gateway.cluster.members.up",
            () => cluster.State.Members.Count(m => m.Status == MemberStatus.Up),
            "{member}",
            "Cluster members Up, as this node sees them");
    }

    /// <summary>Asks the queue and the entropy actor; a silent actor leaves the last values (the scrape still answers).</summary>
    public async Task RefreshAsync()
    {
        try
        {
            Volatile.Write(ref _queueStatus, await _queue.Ask<QueueProtocol.QueueStatus>(QueueProtocol.GetQueueStatus.Instance, AskTimeout).ConfigureAwait(false));
            var entropy = await _entropy.Ask<EntropyProtocol.EntropyStatus>(EntropyProtocol.GetEntropyStatus.Instance, AskTimeout).ConfigureAwait(false);
            Volatile.Write(ref _seeded, entropy.Status == SeedStatus.Failed ? 0 : 1);
        }
        catch (AskTimeoutException)
        {
            // Stale gauges for one scrape beat a scrape that fails: the counters still need reading.
        }
    }

    private IEnumerable<Measurement<int>> QueueMeasurements()
    {
        if (Volatile.Read(ref _queueStatus) is not { } status)
        {
            return [];
        }

        return
        [
            new(status.Waiting, new KeyValuePair<string, object?>("state", "waiting")),
            new(status.InFlight, new KeyValuePair<string, object?>("state", "active")),
            new(status.Scheduled, new KeyValuePair<string, object?>("state", "scheduled")),
            new(status.Held, new KeyValuePair<string, object?>("state", "held")),
        ];
    }

    public void Dispose() => _meter.Dispose();
}
