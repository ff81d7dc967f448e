using System.Buffers;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Gateway.Actors.Metrics;
using Gateway.Actors.Policy;
using Gateway.Actors.Queue;
using Gateway.Protocol.Policy;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Actors.Connection;

/// <summary>
/// Owns one SMTP connection: bytes in, framing, the session rules, replies out, the idle timer,
/// and the hand-off of each message to the spool; it answers 250 only after the spool's commit.
/// Trust: every byte it receives comes from an untrusted client.
/// Not here: what a command means (SessionRules), which access-map checks come when (SessionPolicy),
/// storage (ISpool), delivery (QueueActor).
/// </summary>
/// <remarks>
/// A connection passes through the phases of <see cref="Phase"/>, one handler each, dispatched by a switch on
/// <see cref="_now"/>. Its state is three things: the session (<see cref="SessionState"/>, immutable, with the
/// access map's <see cref="ClientPolicy"/>), the phase record (<see cref="Now"/>: the phase and what only that
/// phase needs), and the channel (socket and, once started, TLS). The parts of this class each do one job:
/// Proxy (a balancer's PROXY header and the client's admission), Opening (lookup, Connect:, greeting), Commands (the
/// command loop), Policy (asking the PolicyActor), Message (DATA/BDAT and the commit), Tls (the handshake); they meet
/// only in those three.
/// </remarks>
public sealed partial class ConnectionActor : UntypedActor, IWithTimers
{
    /// <summary>
    /// The phases of a connection, in the order a session meets them. A switch on this value rather than
    /// ReceiveActor's Become: Become builds a new handler table each time, and at several phases per session that
    /// was about a third of a STARTTLS session's CPU (measured with bench/run.sh when the policy checks came in).
    /// </summary>
    private enum Phase
    {
        /// <summary>On a PROXY listener: the header, and nothing past it, before anything else (Smtp:ProxyProtocolListen).</summary>
        ReadingProxyHeader,

        /// <summary>On a PROXY listener: the parent counts the header's client against its limit; nothing is read.</summary>
        Admission,

        /// <summary>The reverse lookup before the greeting; nothing is read (pull mode), the client waits as for sendmail.</summary>
        Resolving,

        /// <summary>The access map's Connect: and Srv_Features before the greeting (R63); nothing is read.</summary>
        Greeting,

        /// <summary>Reading and answering command lines.</summary>
        Commands,

        /// <summary>A policy question is open (tls_client after the handshake, MAIL, RCPT); what arrives is kept, not read.</summary>
        AwaitingPolicy,

        /// <summary>The TLS handshake, after STARTTLS's 220 or at accept on an implicit-TLS listener (R5, R18).</summary>
        Handshaking,

        /// <summary>A DATA body or a BDAT chunk.</summary>
        ReceivingMessage,

        /// <summary>The spool's commit is under way; no 250 before it is synced.</summary>
        Committing,

        /// <summary>The last reply is written and Close sent; nothing more is read or answered.</summary>
        Closing,
    }

    /// <summary>
    /// The phase record: the phase and what that phase alone needs, replaced whole at each transition, so nothing
    /// a phase used outlives it. <see cref="Question"/> is set only while a policy question is open (Greeting,
    /// AwaitingPolicy), <see cref="Message"/> only in ReceivingMessage, <see cref="SkippingLine"/> only in Commands.
    /// </summary>
    private sealed record Now(Phase Phase)
    {
        public static readonly Now ReadingProxyHeader = new(Phase.ReadingProxyHeader);
        public static readonly Now Admission = new(Phase.Admission);
        public static readonly Now Resolving = new(Phase.Resolving);
        public static readonly Now Commands = new(Phase.Commands);
        public static readonly Now Handshaking = new(Phase.Handshaking);
        public static readonly Now Committing = new(Phase.Committing);
        public static readonly Now Closing = new(Phase.Closing);

        public OpenQuestion? Question { get; init; }

        public MessageInput? Message { get; init; }

        /// <summary>RFC 5321 §4.5.3.1.4: dropping the rest of an over-long line before answering 500.</summary>
        public bool SkippingLine { get; init; }
    }

    private enum Step { Continue, NeedInput, Waiting, Close }

    private sealed record IdleTimeout
    {
        public static readonly IdleTimeout Instance = new();
    }

    private sealed record CloseTimeout
    {
        public static readonly CloseTimeout Instance = new();
    }

    private readonly ConnectionSettings _settings;
    private readonly ISpool _spool;
    private readonly IActorRef _queue;
    private readonly Transport _transport;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeCounters _counters = NodeCounters.For(Context.System);

    /// <summary>Counted among the node's encrypted sessions (a handshake completed): uncounted once, when the actor stops.</summary>
    private bool _countedEncrypted;
    private readonly InputBuffer _input = new();
    private readonly ArrayBufferWriter<byte> _output = new(256);

    /// <summary>The client: the socket's peer, or on a PROXY listener the header's source once it is read.</summary>
    private EndPoint _remote;

    /// <summary>Null when the peer is not an IP endpoint: nothing to look up.</summary>
    private IPAddress? _address;

    /// <summary>{client_name} until the reverse lookup says otherwise: the bracketed address (R40).</summary>
    private string _bracketedName;

    private SessionState _session;
    private Now _now;

    // Drain (SIGTERM): set once; the parent is told once that no transaction is open.
    private bool _draining;
    private bool _drainReported;

    /// <summary>
    /// The TLS channel, set at STARTTLS (or at accept on an implicit-TLS listener, SPEC R18); from then on every
    /// received byte goes through it and every reply is encrypted by it.
    /// </summary>
    private TlsServerEngine? _tls;

    /// <summary>
    /// The node is draining (SIGTERM): finish the transaction in flight, answer the next command outside one with
    /// 421 4.3.2 (QUIT still gets its 221), and tell the parent <see cref="SessionDrained"/> once no transaction is open.
    /// </summary>
    public sealed record Drain
    {
        public static readonly Drain Instance = new();
    }

    /// <summary>To the parent, once after <see cref="Drain"/>: no transaction is open; what is left may be cut off.</summary>
    public sealed record SessionDrained
    {
        public static readonly SessionDrained Instance = new();
    }

    /// <summary>To the parent (the listener), once: this session has ended and no longer counts as one of its client's.</summary>
    public sealed record SessionClosing
    {
        public static readonly SessionClosing Instance = new();
    }

    public ConnectionActor(IActorRef connection, EndPoint remote, ConnectionSettings settings, ISpool spool, IActorRef queue)
    {
        _settings = settings;
        _spool = spool;
        _queue = queue;
        _transport = new Transport(connection, Self);
        Identify(remote);
        _now = settings.ProxyProtocol ? Now.ReadingProxyHeader : Now.Resolving;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>{client_name} (SPEC R40): the confirmed PTR name once the reverse lookup says OK, else the bracketed address.</summary>
    private string ClientName => _session.Host?.Name ?? _bracketedName;

    /// <summary>{client_addr}, as the access map's address keys are written (R55: IPv6 with its "IPv6:" tag).</summary>
    private string ClientAddr { get; set; }

    /// <summary>The TLS macros of the session so far (empty before STARTTLS).</summary>
    private TlsFacts Facts => _tls is { Established: true } tls ? tls.Facts : TlsFacts.None;

    // One actor per connection: Props.Create(() => new …) compiles its expression's arguments on
    // every call (measured: the largest CPU cost of a short session), so a producer builds it directly.
    public static Props Props(IActorRef connection, EndPoint remote, ConnectionSettings settings, ISpool spool, IActorRef queue) =>
        Akka.Actor.Props.CreateBy(new Producer(connection, remote, settings, spool, queue));

    private sealed class Producer(IActorRef connection, EndPoint remote, ConnectionSettings settings, ISpool spool, IActorRef queue)
        : IIndirectActorProducer
    {
        public Type ActorType => typeof(ConnectionActor);

        public ActorBase Produce() => new ConnectionActor(connection, remote, settings, spool, queue);

        public void Release(ActorBase actor)
        {
        }
    }

    protected override void OnReceive(object message)
    {
        // Akka.IO's events arrive through the Transport seam, in the session's own terms; write acks stop there.
        if (_transport.Inbound(message) is not { } received)
        {
            return;
        }

        switch (_now.Phase)
        {
            case Phase.ReadingProxyHeader:
                ReadingProxyHeader(received);
                break;
            case Phase.Admission:
                Admission(received);
                break;
            case Phase.Resolving:
                Resolving(received);
                break;
            case Phase.Greeting:
            case Phase.AwaitingPolicy:
                AwaitingPolicy(received);
                break;
            case Phase.Commands:
            case Phase.ReceivingMessage:
                Reading(received);
                break;
            case Phase.Handshaking:
                Handshaking(received);
                break;
            case Phase.Committing:
                Committing(received);
                break;
            case Phase.Closing:
                Closing(received);
                break;
        }
    }

    /// <summary>Commands and message content: the client's bytes are read and answered.</summary>
    private void Reading(object message)
    {
        switch (message)
        {
            case Transport.Received r:
                if (!_settings.PerRecordDeadline)
                {
                    PutOffIdleTimeout();
                }

                if (_tls is null)
                {
                    _input.Append(r.Data);
                    Pump();
                }
                else
                {
                    ReceiveTls(r.Data);
                }

                break;
            case IdleTimeout:
                _log.Info("{0}: idle timeout", _session.ClientAddress);
                ReplyWriter.Write(_output, SmtpReplies.Timeout(_settings.Session.Hostname));
                Close();
                break;
            default:
                Common(message);
                break;
        }
    }

    /// <summary>The last reply is written and Close sent; nothing more is read or answered.</summary>
    private void Closing(object message)
    {
        switch (message)
        {
            case Transport.Closed:
                Context.Stop(Self);
                break;
            case CloseTimeout:
                // The client does not read: drop the connection rather than hold the slot.
                _transport.Abort();
                Context.Stop(Self);
                break;
        }
    }

    /// <summary>What every phase but Closing does with the socket's end, a failed socket command, and the policy timer.</summary>
    private void Common(object message)
    {
        switch (message)
        {
            case Drain:
                _draining = true;
                ReportIfDrained();
                break;
            case PolicyTimeout:
                // The one policy timer may fire in any phase; it must always be re-armable afterwards.
                PolicyTimerFired();
                break;
            case Transport.Closed:
                Context.Stop(Self);
                break;
            case Transport.Failed f:
                _log.Info("{0}: socket command failed: {1}", _session.ClientAddress, f.Command);
                Context.Stop(Self);
                break;
            case PolicyProtocol.PolicyVerdict or ClientResolved or ResolveTimeout or HandshakeTimeout or IdleTimeout or ProxyTimeout:
                // Late: the answer to a question already settled (timed out or superseded), a timer of a phase already left.
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void PutOffIdleTimeout() => Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.IdleTimeout);

    /// <summary>Replies out: in clear text, or through the TLS session once it is established.</summary>
    private void Flush()
    {
        if (_tls is { Established: true } tls && _output.WrittenCount > 0)
        {
            tls.Write(_output.WrittenSpan);
            _output.ResetWrittenCount();
            _transport.Send(tls.TakeOutput());
            return;
        }

        _transport.Send(_output);
    }

    private void FlushThenRead()
    {
        Flush();
        _transport.ReadWhenFlushed();
    }

    private void CloseWithoutReply()
    {
        Ending();
        _output.ResetWrittenCount();
        _transport.Close();
        EnterClosing();
    }

    private void Close()
    {
        Ending();
        Flush();
        if (_tls is { Established: true })
        {
            // close_notify before FIN, so the client sees a clean TLS end (RFC 8446 §6.1).
            _tls.Close();
            _transport.Send(_tls.TakeOutput());
        }

        _transport.Close();
        EnterClosing();
    }

    /// <summary>
    /// The session is over: it stops counting against its client's limit now, before its last reply (221, 421) is even
    /// written, so a client that QUITs and reconnects at once at exactly the limit is served (the listener hears this
    /// before it can hear of the new connection). Its Terminated, later, finds nothing to release.
    /// </summary>
    private void Ending()
    {
        if (_now.Phase != Phase.Closing)
        {
            Context.Parent.Tell(SessionClosing.Instance);
        }
    }

    /// <summary>After <see cref="Drain"/>: the parent hears once that no transaction is open (at once, or when it ends).</summary>
    private void ReportIfDrained()
    {
        if (_draining && !_drainReported && _session.Transaction is null && _now.Phase is not (Phase.ReceivingMessage or Phase.Committing))
        {
            _drainReported = true;
            Context.Parent.Tell(SessionDrained.Instance);
        }
    }

    private void EnterClosing()
    {
        Timers.Cancel(nameof(IdleTimeout));
        Timers.Cancel(nameof(HandshakeTimeout));
        Timers.StartSingleTimer(nameof(CloseTimeout), CloseTimeout.Instance, TimeSpan.FromSeconds(30));
        _now = Now.Closing;
    }

    /// <summary>
    /// SPEC R80: sendmail logs an event when LogLevel is greater than the event's threshold. The gate
    /// is explicit, so "LogLevel N" gives exactly sendmail's set of events; the .NET level only
    /// decides the label (above 8: informational, else warning).
    /// </summary>
    private void LogAbove(int threshold, string format, params object[] args)
    {
        if (_settings.LogLevel <= threshold)
        {
            return;
        }

        if (threshold >= 8)
        {
            _log.Info(format, args);
        }
        else
        {
            _log.Warning(format, args);
        }
    }
}
