using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Gateway.Actors.Connection;
using Gateway.Actors.Queue;
using Gateway.Protocol.Anvil;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Listener;

/// <summary>
/// Binds the SMTP listen addresses with Akka.IO in pull mode, enforces the node's connection caps
/// (421 4.3.2 over Smtp:MaxConnections, 421 4.7.0 over Smtp:MaxConnectionsPerClient) and creates
/// one ConnectionActor per accepted socket. It never parses, decides or handshakes.
/// Trust: on a PROXY listener (Smtp:ProxyProtocolListen) only peers of Smtp:ProxyTrustedAddresses are served, and the
/// client the session's header names, not the balancer, is counted against its limit.
/// </summary>
internal sealed partial class SmtpListener : ReceiveActor, IWithTimers
{
    private const int AcceptBatch = 64;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ListenerSettings _settings;
    private readonly ConnectionSettings _connection;
    private readonly ConnectionSettings _implicitTls;
    private readonly ConnectionSettings _proxied;
    private readonly ISpool _spool;
    private readonly IActorRef _queue;

    /// <summary>Every session, with the client it counts for; null while a PROXY session's client is not yet known.</summary>
    private readonly Dictionary<IActorRef, IPAddress?> _clients = [];

    /// <summary>In <see cref="_clients"/>: a session counted against no client (a balancer's LOCAL health check); "::" is never a peer.</summary>
    private static readonly IPAddress Uncounted = IPAddress.IPv6None;
    private readonly List<EndPoint> _bound = [];
    private readonly List<EndPoint> _boundImplicit = [];
    private readonly List<EndPoint> _boundProxy = [];
    private readonly List<IActorRef> _tcpListeners = [];

    public ITimerScheduler Timers { get; set; } = null!;

    // Drain: the sessions still in a transaction, who asked, and whether new connections are refused.
    private readonly HashSet<IActorRef> _undrained = [];
    private IActorRef? _drainRequester;
    private bool _draining;

    public SmtpListener(ListenerSettings settings, ConnectionSettings connection, ISpool spool, IActorRef queue)
    {
        _settings = settings;
        _connection = connection;
        _implicitTls = connection with { ImplicitTls = true };
        _proxied = connection with { ProxyProtocol = true };
        _spool = spool;
        _queue = queue;
        _anvil = new ClientAnvil(settings.MaxConnectionsPerClient, settings.MaxConnectionRatePerClient, settings.ClientLimitExceptions.Contains, settings.ClientIpv6PrefixLength);
        Unbound();
    }

    /// <summary>Binds every listen address; answered <see cref="Bound"/> once all are bound, or <see cref="BindFailed"/>.</summary>
    public sealed record Bind
    {
        public static readonly Bind Instance = new();
    }

    /// <summary>The addresses actually bound (port 0 resolved), by kind.</summary>
    public sealed record Bound(IReadOnlyList<EndPoint> Smtp, IReadOnlyList<EndPoint> ImplicitTls, IReadOnlyList<EndPoint> ProxyProtocol);

    /// <summary>An address could not be bound (in use, not local, no permission); the listener has stopped.</summary>
    public sealed record BindFailed(EndPoint Endpoint, string Reason);

    /// <summary>What a listen address serves.</summary>
    private enum Kind
    {
        Smtp,
        ImplicitTls,
        Proxy,
    }

    public static Props Props(ListenerSettings settings, ConnectionSettings connection, ISpool spool, IActorRef queue) =>
        Akka.Actor.Props.Create(() => new SmtpListener(settings, connection, spool, queue));

    private void Unbound()
    {
        Receive<Bind>(_ =>
        {
            // One Tcp.Bind at a time, so that each Tcp.Bound answers the request before it (port 0 included).
            var pending = new Queue<(IPEndPoint Endpoint, Kind Kind)>(
                _settings.Endpoints.Select(e => (e, Kind.Smtp))
                    .Concat((_settings.ImplicitTlsEndpoints ?? []).Select(e => (e, Kind.ImplicitTls)))
                    .Concat(_settings.ProxyEndpoints.Select(e => (e, Kind.Proxy))));
            BindNext(Sender, pending);
        });
    }

    private void BindNext(IActorRef requester, Queue<(IPEndPoint Endpoint, Kind Kind)> pending)
    {
        if (!pending.TryDequeue(out var next))
        {
            requester.Tell(new Bound([.. _bound], [.. _boundImplicit], [.. _boundProxy]));
            Become(Listening);
            return;
        }

        Context.System.Tcp().Tell(new Tcp.Bind(Self, next.Endpoint, backlog: 1024, options: null, pullMode: true));
        Become(() => Binding(requester, next.Kind, pending));
    }

    private void Binding(IActorRef requester, Kind kind, Queue<(IPEndPoint Endpoint, Kind Kind)> pending)
    {
        Receive<Tcp.Bound>(b =>
        {
            (kind switch { Kind.ImplicitTls => _boundImplicit, Kind.Proxy => _boundProxy, _ => _bound }).Add(b.LocalAddress);
            _tcpListeners.Add(Sender);
            _log.Info("listening on {0}{1}", b.LocalAddress, kind switch
            {
                Kind.ImplicitTls => " (TLS on connect)",
                Kind.Proxy => " (PROXY protocol, from " + string.Join(", ", _settings.ProxyTrusted.Networks) + ")",
                _ => "",
            });
            Sender.Tell(new Tcp.ResumeAccepting(AcceptBatch));
            BindNext(requester, pending);
        });
        Receive<Tcp.CommandFailed>(f => f.Cmd is Tcp.Bind, f =>
        {
            // Stopping releases the addresses already bound: Akka.IO unbinds a listener whose handler stops.
            requester.Tell(new BindFailed(((Tcp.Bind)f.Cmd).LocalAddress, f.CauseString));
            Context.Stop(Self);
        });

        // The addresses bound so far already accept.
        Listening();
    }

    /// <summary>Drain the listener and its sessions within <paramref name="Timeout"/> (Smtp:DrainTimeout); answered with <see cref="DrainDone"/>.</summary>
    public sealed record Drain(TimeSpan Timeout);

    /// <summary><paramref name="CutOff"/>: sessions still in a transaction when the time ran out.</summary>
    public sealed record DrainDone(int CutOff);

    private sealed record DrainTimeout
    {
        public static readonly DrainTimeout Instance = new();
    }

    private void Listening()
    {
        Receive<Tcp.Connected>(c =>
        {
            // Pull mode: each ResumeAccepting re-arms a listener for the next batch. The caps
            // below, not this pacing, bound the load (Akka.IO notes, DESIGN).
            foreach (var listener in _tcpListeners)
            {
                listener.Tell(new Tcp.ResumeAccepting(AcceptBatch));
            }

            Connected(Sender, c);
        });
        Receive<ConnectionActor.ClientIdentified>(identified => Admit(Sender, identified.Client.Address.Unmapped(), identified.Local));
        Receive<Terminated>(t => Release(t.ActorRef));
        ClientCounting();
        Receive<Drain>(d => StartDrain(d));
        Receive<ConnectionActor.SessionDrained>(_ => Drained(Sender));
        Receive<DrainTimeout>(_ => FinishDrain());

        // A session that has answered QUIT (or closed for any reason) stops counting at once; its Terminated finds nothing.
        Receive<ConnectionActor.SessionClosing>(_ => Release(Sender));
        // Events of refused connections, which this actor registered for itself.
        Receive<Tcp.ConnectionClosed>(_ => { });
        Receive<Tcp.CommandFailed>(_ => { });
    }

    private void Connected(IActorRef socket, Tcp.Connected connected)
    {
        var kind = KindOf(connected.LocalAddress);
        if (kind == Kind.Proxy && !IsTrustedBalancer(connected.RemoteAddress))
        {
            // Not an SMTP client, and not a balancer we know: anyone who may send a PROXY header can claim any client
            // address and walk past Connect: entries and limits. No reply: the connection is just closed.
            _log.Warning("PROXY listener: connection from {0}, not in Smtp:ProxyTrustedAddresses, closed", connected.RemoteAddress);
            socket.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: false, useResumeWriting: false));
            socket.Tell(Tcp.Close.Instance);
            return;
        }

        if (_draining)
        {
            // Accepted before the unbind took effect: the node is going, say so (RFC 5321 §3.8).
            Refuse(socket, SmtpReplies.ShuttingDown(_connection.Session.Hostname));
            return;
        }

        switch (kind)
        {
            case Kind.Proxy:
                AcceptProxied(socket, connected.RemoteAddress);
                break;
            case Kind.ImplicitTls:
                Accept(socket, connected.RemoteAddress, _implicitTls);
                break;
            default:
                Accept(socket, connected.RemoteAddress, _connection);
                break;
        }
    }

    private bool IsTrustedBalancer(EndPoint remote) => remote is IPEndPoint peer && _settings.ProxyTrusted.Contains(peer.Address);

    /// <summary>
    /// A session that throws is stopped, never restarted: a restart would greet again in the middle
    /// of a conversation (or of a TLS stream). The socket closes with it; other sessions go on.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(e =>
        {
            _log.Error(e, "session failed and was stopped: {0}", e.Message);
            return Directive.Stop;
        });

    private void Accept(IActorRef socket, EndPoint remote, ConnectionSettings connection)
    {
        var hostname = connection.Session.Hostname;
        // Unmapped, so that a dual-stack listener's ::ffff:192.0.2.7 and a PROXY header's 192.0.2.7 count as one client.
        var address = remote is IPEndPoint ip ? ip.Address.Unmapped() : IPAddress.None;
        if (_clients.Count >= _settings.MaxConnections)
        {
            Refuse(socket, SmtpReplies.TooManyConnections(hostname));
            return;
        }

        if (CountClient(address) is { } refusal)
        {
            Refuse(socket, refusal);
            return;
        }

        Start(socket, remote, connection, address);
    }

    /// <summary>
    /// A PROXY listener, from a trusted balancer: the connection counts against the node's cap now; the client it
    /// relays is counted when the session has read the header (<see cref="Admit"/>).
    /// </summary>
    private void AcceptProxied(IActorRef socket, EndPoint remote)
    {
        if (_clients.Count >= _settings.MaxConnections)
        {
            // The balancer relays this reply to its client, as it relays every byte we write.
            Refuse(socket, SmtpReplies.TooManyConnections(_proxied.Session.Hostname));
            return;
        }

        Start(socket, remote, _proxied, client: null);
    }

    /// <summary>
    /// A PROXY session read its header: its client is counted now, or refused 421 4.7.0 over the limit. A LOCAL header
    /// is the balancer's health check: never counted (checks every second from every balancer would soon reach a rate
    /// limit, and the balancer would take every node out).
    /// </summary>
    private void Admit(IActorRef session, IPAddress client, bool local)
    {
        if (!_clients.TryGetValue(session, out var counted) || counted is not null)
        {
            // Gone already (its socket closed), or asked twice: nothing to count.
            return;
        }

        if (_draining)
        {
            session.Tell(new ConnectionActor.ClientRefused(SmtpReplies.ShuttingDown(_proxied.Session.Hostname)));
            return;
        }

        if (!local && CountClient(client) is { } refusal)
        {
            session.Tell(new ConnectionActor.ClientRefused(refusal));
            return;
        }

        _clients[session] = local ? Uncounted : client;
        session.Tell(ConnectionActor.ClientAdmitted.Instance);
    }

    /// <param name="client">The client counted for this session, or null while it is not known (a PROXY session).</param>
    private void Start(IActorRef socket, EndPoint remote, ConnectionSettings connection, IPAddress? client)
    {
        var session = Context.ActorOf(ConnectionActor.Props(socket, remote, UnderStress(connection), _spool, _queue));
        Context.Watch(session);
        _clients[session] = client;
        socket.Tell(new Tcp.Register(session, keepOpenOnPeerClosed: false, useResumeWriting: false));
        if (client is null)
        {
            // A PROXY session reads before it writes anything, and Akka.IO drops a ResumeReading that arrives before the
            // Register from another sender; this one follows the Register from the same sender, so the header is read.
            socket.Tell(Tcp.ResumeReading.Instance, session);
        }
    }

    private void Refuse(IActorRef socket, Reply reply)
    {
        socket.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: false, useResumeWriting: false));
        socket.Tell(Tcp.Write.Create(ByteString.FromBytes(ReplyWriter.ToBytes(reply))));
        socket.Tell(Tcp.Close.Instance);
    }

    /// <summary>A connection's local address tells its listener: exact match, or the port of a wildcard bind.</summary>
    private Kind KindOf(EndPoint local) =>
        Listens(_boundProxy, local) ? Kind.Proxy
        : Listens(_boundImplicit, local) ? Kind.ImplicitTls
        : Kind.Smtp;

    private static bool Listens(List<EndPoint> bound, EndPoint local) =>
        local is IPEndPoint ip && bound.OfType<IPEndPoint>().Any(b =>
            b.Port == ip.Port && (b.Address.Equals(ip.Address) || b.Address.Equals(IPAddress.Any) || b.Address.Equals(IPAddress.IPv6Any)));

    /// <summary>
    /// Graceful drain (SIGTERM, CoordinatedShutdown's service-unbind): refuse new clients, tell every session, and answer
    /// <see cref="DrainDone"/> once no session is in a transaction or at the timeout. Idle sessions are answered 421 at
    /// their next command, or cut off when the node stops after this; none is waited for.
    /// </summary>
    private void StartDrain(Drain drain)
    {
        _drainRequester = Sender;
        if (!_draining)
        {
            // Not Tcp.Unbind: Akka.IO's accepted connections are children of its listener actor, and unbinding
            // would reset every session, the ones in a transaction too. New clients get 421 4.3.2 instead.
            _draining = true;
            foreach (var session in _clients.Keys)
            {
                _undrained.Add(session);
                session.Tell(ConnectionActor.Drain.Instance);
            }

            _log.Info("drain: not accepting; {0} session(s) open, waiting up to {1} for their transactions", _clients.Count, drain.Timeout);
            Timers.StartSingleTimer(nameof(DrainTimeout), DrainTimeout.Instance, drain.Timeout);
        }

        if (_undrained.Count == 0)
        {
            FinishDrain();
        }
    }

    private void Drained(IActorRef session)
    {
        if (_undrained.Remove(session) && _undrained.Count == 0)
        {
            FinishDrain();
        }
    }

    private void FinishDrain()
    {
        if (_drainRequester is not { } requester)
        {
            return;
        }

        if (_undrained.Count > 0)
        {
            _log.Warning("drain: {0} session(s) still in a transaction at the timeout are cut off (nothing they sent was acknowledged)", _undrained.Count);
        }

        requester.Tell(new DrainDone(_undrained.Count));
        _drainRequester = null;
    }

    private void Release(IActorRef session)
    {
        Drained(session);
        if (!_clients.Remove(session, out var address) || address is null)
        {
            return;
        }

        _anvil.Release(address);
    }
}
