using System.Net;
using Akka.Actor;
using Akka.Event;
using Gateway.Actors.Connection;
using Gateway.Actors.Entropy;
using Gateway.Actors.Policy;
using Gateway.Actors.Queue;
using Gateway.Actors.Relay;
using Gateway.Actors.Status;
using Gateway.Configuration;
using Gateway.Listener;
using Gateway.Protocol.Access;
using Gateway.Protocol.Entropy;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Hosting;

/// <summary>
/// Starts one node's actors in order: the policy, its map replica and the entropy actor at once; the queue and the
/// SMTP listener only after the generator's first seeding (SPEC R71: no handshake before it), with STARTTLS on or off
/// by its outcome (R39, R74), and after the map replica has read its durable copy (no session decides with an empty
/// map on a node that had one). Answers <see cref="StartNode"/> once the listener is bound, or with why it could not start.
/// Not here: the host, the cluster join and the access-map watcher (GatewayNode).
/// </summary>
internal sealed class NodeGuardian : ReceiveActor, IWithUnboundedStash
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly GatewaySettings _settings;
    private readonly NodeResources _resources;
    private readonly IActorRef _policy;
    private IActorRef _queue = ActorRefs.Nobody;
    private IActorRef? _listener;
    private IActorRef _status = ActorRefs.Nobody;
    private readonly IActorRef _entropy;
    private readonly IActorRef _maps;
    private EntropyProtocol.Seeded? _seeded;
    private bool _mapReady;

    public NodeGuardian(GatewaySettings settings, NodeResources resources)
    {
        _settings = settings;
        _resources = resources;
        // The policy starts empty; the replica hands it the map before any session can ask (MapReplicaReady below).
        _policy = Context.ActorOf(PolicyActor.Props(AccessMap.Empty, "(no access map yet)", settings.Access.Policy), "policy");
        var clusterWait = ClusterDiscovery.JoinsItself(settings) ? TimeSpan.Zero : FirstMapWait;
        _maps = Context.ActorOf(MapReplicaActor.Props(_policy, Self, resources.MapFile, MapWriteTimeout, clusterWait), "access-map");

        // The listener waits for this actor's Seeded (below).
        _entropy = Context.ActorOf(EntropyActor.Props(resources.Entropy, resources.Generator, settings.ReseedInterval, Self), "entropy");
        Seeding();
    }

    /// <summary>How long a push waits for every member to confirm; it is in force here at once, and gossip carries it on.</summary>
    private static readonly TimeSpan MapWriteTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a node with no stored map that expects a cluster waits to read the others' before it serves (a first
    /// seed alone forms its cluster after Akka's seed-node-timeout, 5 s, so this is above it).
    /// </summary>
    private static readonly TimeSpan FirstMapWait = TimeSpan.FromSeconds(10);

    /// <summary>Asked once by the host; answered <see cref="NodeStarted"/> or <see cref="NodeStartFailed"/>, whenever it comes.</summary>
    public sealed record StartNode
    {
        public static readonly StartNode Instance = new();
    }

    /// <summary>The node is listening: where (plain, TLS on connect, PROXY protocol), whether it offers STARTTLS, and the actors the host hands out.</summary>
    public sealed record NodeStarted(
        IReadOnlyList<EndPoint> SmtpEndpoints,
        IReadOnlyList<EndPoint> ImplicitTlsEndpoints,
        IReadOnlyList<EndPoint> ProxyEndpoints,
        bool StartTlsOffered,
        IActorRef Queue,
        IActorRef Policy,
        IActorRef Maps,
        IActorRef Entropy,
        IActorRef Status);

    /// <summary>The node cannot serve (a listen address could not be bound); the host stops it with this.</summary>
    public sealed record NodeStartFailed(Exception Cause);

    public IStash Stash { get; set; } = null!;

    public static Props Props(GatewaySettings settings, NodeResources resources) =>
        Akka.Actor.Props.Create(() => new NodeGuardian(settings, resources));

    private void Seeding()
    {
        Receive<EntropyProtocol.Seeded>(seeded =>
        {
            _seeded = seeded;
            StartWhenReady();
        });
        Receive<MapReplicaProtocol.MapReplicaReady>(_ =>
        {
            _mapReady = true;
            StartWhenReady();
        });
        Receive<StartNode>(_ => Stash.Stash());
        Receive<SmtpListener.Drain>(_ => Sender.Tell(new SmtpListener.DrainDone(0)));
    }

    private void StartWhenReady()
    {
        if (_seeded is not { } seeded || !_mapReady)
        {
            return;
        }

        var tlsOn = seeded.Outcome.TlsOn;
        if (!tlsOn)
        {
            // R39/R74: an unseeded node does not offer STARTTLS; mail still flows in clear.
            _log.Error("STARTTLS disabled on this node: the random number generator could not be seeded from {0}", _resources.Entropy.Description);
        }

        if (!tlsOn && _settings.ImplicitTlsListen.Count > 0)
        {
            // An SMTPS port without TLS would greet in clear where clients expect a handshake (R18).
            _log.Error("Smtp:ImplicitTlsListen not opened: TLS is off on this node");
        }

        // The queue relays with TLS, so it too starts only once the generator is seeded (R71).
        var relay = Context.ActorOf(RelayActor.Props(Relay(tlsOn)), "relay");
        var queue = new QueueSettings(_settings.Hostname, _settings.DeliveryConcurrency, _settings.Relay.Routes, _settings.Relay.Schedule);
        _queue = Context.ActorOf(QueueActor.Props(_resources.Spool, _resources.Delivery, relay, queue), "queue");

        var listen = new ListenerSettings(
            _settings.Listen, _settings.MaxConnections, _settings.MaxConnectionsPerClient, tlsOn ? _settings.ImplicitTlsListen : [])
        {
            ProxyEndpoints = _settings.Proxy.Listen,
            ProxyTrusted = _settings.Proxy.Trusted,
            MaxConnectionRatePerClient = _settings.ClientLimits.MaxRatePerMinute,
            ClientLimitExceptions = _settings.ClientLimits.Exceptions,
            ClientIpv6PrefixLength = _settings.ClientLimits.Ipv6PrefixLength,
            Stress = _settings.Stress,
        };
        var listener = Context.ActorOf(SmtpListener.Props(listen, Connection(tlsOn), _resources.Spool, _queue), "smtp-listener");
        Context.Watch(listener);
        listener.Tell(SmtpListener.Bind.Instance);
        Become(() => Binding(listener, tlsOn));
    }

    private void Binding(IActorRef listener, bool tlsOn)
    {
        Receive<SmtpListener.Bound>(bound =>
        {
            Context.Unwatch(listener);
            _listener = listener;
            var status = new NodeStatusSettings(_settings.Hostname, GatewayVersion.Text, _settings.StatusInterval, TimeProvider.System);
            _status = Context.ActorOf(NodeStatusActor.Props(status, _queue, _entropy, _maps), "status");
            Answer(new NodeStarted(bound.Smtp, bound.ImplicitTls, bound.ProxyProtocol, tlsOn, _queue, _policy, _maps, _entropy, _status));
        });
        Receive<SmtpListener.BindFailed>(failed =>
            Answer(new NodeStartFailed(new IOException($"cannot listen on {failed.Endpoint}: {failed.Reason}"))));
        Receive<Terminated>(_ =>
            Answer(new NodeStartFailed(new InvalidOperationException("the SMTP listener stopped before it was bound"))));
        Receive<StartNode>(_ => Stash.Stash());
        AfterSeeding();
    }

    private void Answer(object answer)
    {
        Become(() => Answered(answer));
        Stash.UnstashAll();
    }

    /// <summary>Every start request, early or late, gets the same answer from now on.</summary>
    private void Answered(object answer)
    {
        Receive<StartNode>(_ => Sender.Tell(answer));

        // The listener stops itself after BindFailed; its Terminated follows and means nothing more.
        Receive<Terminated>(_ => { });
        AfterSeeding();
    }

    private void AfterSeeding()
    {
        // Drain (SIGTERM): the listener and its sessions; a node without a listener has nothing to drain.
        Receive<SmtpListener.Drain>(drain =>
        {
            if (_listener is { } listener)
            {
                _status.Tell(NodeStatusProtocol.Draining.Instance);
                listener.Forward(drain);
            }
            else
            {
                Sender.Tell(new SmtpListener.DrainDone(0));
            }
        });

        Receive<MapReplicaProtocol.MapReplicaReady>(_ => { });

        // An entropy actor restarted after a failure tells its first outcome again; the first seeding decided the
        // node's TLS (R74) and later ones show in its status only.
        Receive<EntropyProtocol.Seeded>(_ => { });
    }

    /// <summary>What every outbound connection shares.</summary>
    private RelaySettings Relay(bool tlsOn)
    {
        var settings = _settings;
        var server = _resources.Tls;
        var credentials = _resources.ClientCredentials;

        // The client trusts what the server trusts (Tls:CACertFile, Tls:CACertPath, CRLs) and draws from the same generator.
        Func<string?, TlsClientOptions>? tls = tlsOn
            ? name => new TlsClientOptions(name, credentials, server.Verifier, server.DnFormat, server.Crypto)
            : null;
        return new RelaySettings(settings.Hostname, _resources.NextHops, tls)
        {
            MaxConnectionsPerDestination = settings.Relay.MaxConnectionsPerDestination,
            DeadTime = settings.Relay.Schedule.First,
            HandshakeTimeout = settings.Tls.HandshakeTimeout,
            Policy = _policy,
            ReplyCodes = settings.Access.Policy.ReplyCodes,
        };
    }

    /// <summary>What every connection shares; the one place the node builds it.</summary>
    private ConnectionSettings Connection(bool tlsOn)
    {
        var settings = _settings;
        var session = new SessionSettings(
            settings.Hostname, settings.MaxMessageSize, settings.MaxRecipients, settings.MaxBadCommands, settings.LocalDomains, StartTlsOffered: tlsOn);
        return new ConnectionSettings(session, settings.IdleTimeout, GatewayNode.Product, tlsOn ? _resources.Tls : null, settings.Tls.HandshakeTimeout, LogLevel: settings.LogLevel)
        {
            // Always asked, map file or not: a map pushed to the cluster may arrive at any time (an empty map decides
            // as the built-in rule does: relay to local domains only).
            Policy = _policy,
            Resolver = _resources.Resolver,

            // The resolver keeps its own deadline; this one only guards against a resolver that never answers.
            ResolveTimeout = settings.Dns.Timeout + TimeSpan.FromSeconds(1),
            ProxyTimeout = settings.Proxy.Timeout,
        };
    }
}
