using System.Buffers;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Gateway.Actors.Policy;
using Gateway.Actors.Queue;
using Gateway.Protocol.Access;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Actors.Connection;

/// <summary>
/// Owns one SMTP connection: bytes in, framing, the session rules, replies out, the idle timer,
/// and the hand-off of each message to the spool; it answers 250 only after the spool's commit.
/// Trust: every byte it receives comes from an untrusted client.
/// Not here: what a command means (SessionRules), storage (ISpool), delivery (QueueActor).
/// This file holds its state, behaviours and output; its jobs are in the other parts: Opening (lookup, Connect:,
/// greeting), Commands (the command loop), Policy (asking the PolicyActor), Message (DATA/BDAT and the commit), Tls.
/// </summary>
public sealed partial class ConnectionActor : ReceiveActor, IWithTimers
{
    private enum Step { Continue, NeedInput, Waiting, Close }

    private sealed record IdleTimeout
    {
        public static readonly IdleTimeout Instance = new();
    }

    private sealed record CloseTimeout
    {
        public static readonly CloseTimeout Instance = new();
    }

    private sealed record HandshakeTimeout
    {
        public static readonly HandshakeTimeout Instance = new();
    }

    private sealed record PolicyTimeout
    {
        public static readonly PolicyTimeout Instance = new();
    }

    private sealed record ResolveTimeout
    {
        public static readonly ResolveTimeout Instance = new();
    }

    private sealed record ClientResolved(ClientHost Host);

    private sealed record Committed(string Id);

    private sealed record CommitFailed(string Id, string Reason);

    private readonly ConnectionSettings _settings;
    private readonly ISpool _spool;
    private readonly IActorRef _queue;
    private readonly Transport _transport;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly InputBuffer _input = new();
    private readonly ArrayBufferWriter<byte> _output = new(256);

    // The session rules' state and the framing mode change with every command; they are the
    // conversation itself, so they live here rather than in nested behaviour closures.
    private SessionState _session;
    private InputMode _mode = InputMode.Commands.Instance;
    private MessageContent? _content;

    // Set at STARTTLS (or at accept on an implicit-TLS listener, SPEC R18); from then on every
    // received byte goes through it and every reply is encrypted by it.
    private TlsServerEngine? _tls;
    private TlsFacts _facts = TlsFacts.None;
    private long _chunkedSoFar;

    // The access map's answers for this client (SPEC sections 5–8), asked by message; no Ask, no blocking.
    private long _policyQuestions;
    private long _awaitedAnswer = -1;
    private Action<PolicyAnswer>? _afterPolicy;
    private bool _clientMayRelay;
    private bool _discardAll;
    private bool? _requestClientCert;
    private readonly List<Tcp.Received> _heldWhileAsking = [];
    private DateTime _askedAt;
    private bool _policyTimerSet;

    // The reverse lookup before the greeting (null address: not an IP endpoint, nothing to look up).
    private readonly IPAddress? _address;
    private bool _resolving;

    public ConnectionActor(IActorRef connection, EndPoint remote, ConnectionSettings settings, ISpool spool, IActorRef queue)
    {
        _settings = settings;
        _spool = spool;
        _queue = queue;
        _transport = new Transport(connection, Self);
        _session = new SessionState(ClientAddress(remote));
        var address = (remote as IPEndPoint)?.Address;
        _address = address;
        ClientName = address is null ? $"[{_session.ClientAddress}]" : SessionMacros.ClientName(address);
        ClientAddr = address is null ? _session.ClientAddress : SessionMacros.ClientAddr(address);
        Reading();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>{client_name} (SPEC R40): the confirmed PTR name once the reverse lookup says OK, else the bracketed address.</summary>
    private string ClientName { get; set; }

    /// <summary>{client_addr}, as the access map's address keys are written (R55: IPv6 with its "IPv6:" tag).</summary>
    private string ClientAddr { get; }

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

    private void Reading()
    {
        // A policy question is answered within this behaviour, not in one of its own: ReceiveActor's Become builds
        // a new handler table each time, and two per question (six questions a session) cost about a third of a
        // STARTTLS session's CPU (measured with bench/run.sh). While a question is open nothing is read (pull mode:
        // no ResumeReading is sent) and the idle timer is put off; the policy timeout bounds the wait.
        Receive<ClientResolved>(_ => _resolving, r => Resolved(r.Host));
        Receive<ResolveTimeout>(_ => _resolving, _ => Resolved(new ClientHost(_address!, null, ClientResolve.Temp)));
        Receive<ClientResolved>(_ => { });
        Receive<PolicyProtocol.PolicyVerdict>(v => v.Id == _awaitedAnswer, v => Answered(v.Answer));
        Receive<PolicyProtocol.PolicyVerdict>(_ => { });
        Receive<Tcp.Received>(_ => _awaitedAnswer >= 0, r => _heldWhileAsking.Add(r));
        Receive<IdleTimeout>(_ => _awaitedAnswer >= 0 || _resolving, _ => Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.IdleTimeout));
        Receive<Tcp.Received>(r =>
        {
            Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.IdleTimeout);
            if (_tls is null)
            {
                _input.Append(r.Data);
                Pump();
            }
            else
            {
                ReceiveTls(r.Data);
            }
        });
        Receive<Transport.Acknowledged>(_ => _transport.Acked());
        Receive<IdleTimeout>(_ =>
        {
            _log.Info("{0}: idle timeout", _session.ClientAddress);
            if (_tls is { Established: false })
            {
                // Mid-handshake there is no channel to answer on (SPEC R6).
                CloseWithoutReply();
                return;
            }

            ReplyWriter.Write(_output, SmtpReplies.Timeout(_settings.Session.Hostname));
            Close();
        });
        Receive<HandshakeTimeout>(_ =>
        {
            if (_tls is { Established: false })
            {
                LogAbove(5, "STARTTLS=server, error: accept failed=timeout, reason=handshake not completed within {0}, relay={1}",
                    _settings.HandshakeTimeout, Relay);
                CloseWithoutReply();
            }
        });
        Common();
    }

    /// <summary>Waiting for the spool; no ResumeReading is sent, so no bytes arrive meanwhile.</summary>
    private void Committing()
    {
        Receive<Committed>(c =>
        {
            ReplyWriter.Write(_output, SmtpReplies.Queued(c.Id));
            ReadingAgain();
        });
        Receive<CommitFailed>(f =>
        {
            _log.Error("{0}: spool commit of {1} failed: {2}", _session.ClientAddress, f.Id, f.Reason);
            ReplyWriter.Write(_output, SmtpReplies.SpoolFailed);
            ReadingAgain();
        });
        Receive<Transport.Acknowledged>(_ => _transport.Acked());
        Receive<IdleTimeout>(_ => { });
        Common();
    }

    private void ReadingAgain()
    {
        // An idle timeout that fired during a slow commit was dropped above; without a new timer a
        // client that then went quiet held its connection for ever (RFC 5321 §4.5.3.2.7).
        Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.IdleTimeout);
        EndTransaction();
        Become(Reading);
        Pump();
    }

    /// <summary>The last reply is written and Close sent; nothing more is read or answered.</summary>
    private void Closing()
    {
        Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
        Receive<CloseTimeout>(_ =>
        {
            // The client does not read: drop the connection rather than hold the slot.
            _transport.Abort();
            Context.Stop(Self);
        });
        ReceiveAny(_ => { });
    }

    private void Common()
    {
        // In every behaviour but Closing: the timer may fire while committing, and must then be re-armed later.
        Receive<PolicyTimeout>(_ => PolicyTimerFired());
        Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
        Receive<Tcp.CommandFailed>(f =>
        {
            _log.Info("{0}: socket command failed: {1}", _session.ClientAddress, f.Cmd);
            Context.Stop(Self);
        });
    }

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

    private void CloseWithoutReply()
    {
        _output.ResetWrittenCount();
        _transport.Close();
        Timers.Cancel(nameof(IdleTimeout));
        Timers.Cancel(nameof(HandshakeTimeout));
        Timers.StartSingleTimer(nameof(CloseTimeout), CloseTimeout.Instance, TimeSpan.FromSeconds(30));
        Become(Closing);
    }

    /// <summary>sendmail's relay= in the log: the host description once the reverse lookup is known, else the bracketed address.</summary>
    private string Relay => _session.Host is { Resolve: not ClientResolve.None } host ? host.Description : $"[{_session.ClientAddress}]";

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

    private void FlushThenRead()
    {
        Flush();
        _transport.ReadWhenFlushed();
    }

    private void Close()
    {
        Flush();
        if (_tls is { Established: true })
        {
            // close_notify before FIN, so the client sees a clean TLS end (RFC 8446 §6.1).
            _tls.Close();
            _transport.Send(_tls.TakeOutput());
        }

        _transport.Close();
        Timers.Cancel(nameof(IdleTimeout));
        Timers.StartSingleTimer(nameof(CloseTimeout), CloseTimeout.Instance, TimeSpan.FromSeconds(30));
        Become(Closing);
    }

    private static string ClientAddress(EndPoint remote) => remote switch
    {
        IPEndPoint ip => ip.Address.Unmapped().ToString(),
        _ => remote.ToString() ?? "unknown",
    };
}
