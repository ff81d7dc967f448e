using System.Net;
using Akka.Actor;
using Gateway.Actors.Anvil;
using Gateway.Protocol.Anvil;
using Gateway.Protocol.Replies;

namespace Gateway.Listener;

/// <summary>
/// The listener's per-client limits (Smtp:MaxConnectionsPerClient, Smtp:MaxConnectionRatePerClient), counted across
/// the cluster: this node's counts are exact (<see cref="ClientAnvil"/>), the others' arrive through the
/// <see cref="AnvilReplicaActor"/>, a child, which publishes this node's counts every <see cref="PublishInterval"/>
/// when they changed (and every second, so that rate windows age on the other nodes too).
/// </summary>
internal sealed partial class SmtpListener
{
    /// <summary>How often changed counts are published: part of how late the other nodes see a burst.</summary>
    public static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly ClientAnvil _anvil;
    private IActorRef _anvilReplica = ActorRefs.Nobody;
    private TimeSpan _lastPublished;

    /// <summary>What the listener counts for <paramref name="Client"/> now; answered with <see cref="ClientCounts"/>.</summary>
    public sealed record GetClientCounts(IPAddress Client);

    /// <summary>This node's own count and the sum the other nodes last published.</summary>
    public sealed record ClientCounts(ClientCount Here, ClientCount Others);

    private sealed record PublishTick
    {
        public static readonly PublishTick Instance = new();
    }

    protected override void PreStart()
    {
        _anvilReplica = Context.ActorOf(AnvilReplicaActor.Props(Self), "anvil");
        Timers.StartPeriodicTimer(nameof(PublishTick), PublishTick.Instance, PublishInterval);
    }

    private TimeSpan Now => Context.System.Scheduler.MonotonicClock;

    /// <summary>Counts one more connection of <paramref name="client"/>, or answers the 421 4.7.0 that refuses it (counting nothing).</summary>
    private Reply? CountClient(IPAddress client) => _anvil.Admit(client, Now) switch
    {
        AnvilVerdict.TooManyConnections => SmtpReplies.TooManyConnectionsFromClient(_connection.Session.Hostname),
        AnvilVerdict.TooManyConnectionsPerMinute => SmtpReplies.TooManyConnectionsPerMinute(_connection.Session.Hostname, _anvil.MaxRate),
        _ => null,
    };

    /// <summary>The messages of the counting, in every state that accepts connections.</summary>
    private void ClientCounting()
    {
        Receive<PublishTick>(_ =>
        {
            var now = Now;
            if (_anvil.Changed || now - _lastPublished >= RefreshInterval)
            {
                _lastPublished = now;
                _anvilReplica.Tell(new AnvilProtocol.PublishCounts(_anvil.Snapshot(now)));
            }
        });
        Receive<AnvilProtocol.OthersCounts>(o => _anvil.ReplaceOthers(o.Counts));
        Receive<GetClientCounts>(g => Sender.Tell(new ClientCounts(_anvil.Here(g.Client, Now), _anvil.Others(g.Client))));
    }
}
