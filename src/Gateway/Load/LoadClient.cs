using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.IO;
using Gateway.Protocol.Client;
using Gateway.Protocol.Tls;
using static Gateway.Load.LoadProtocol;

namespace Gateway.Load;

/// <summary>
/// One simulated SMTP client: an actor with at most one connection at a time, over Akka.IO (non-blocking,
/// no thread held while waiting). It asks the coordinator before every message, connects, says EHLO,
/// optionally STARTTLS with BouncyCastle's client engine (the same <see cref="TlsClientEngine"/> the probe uses),
/// sends MAIL, RCPT, DATA and the message in lock step, and QUITs. Every reply is counted by code; the first
/// thing that goes wrong in a session is reported by kind, and the session ends there.
/// </summary>
internal sealed class LoadClient : ReceiveActor, IWithTimers
{
    private readonly int _index;
    private readonly LoadPlan _plan;
    private readonly LoadScript _script;
    private readonly TlsClientOptions? _tlsOptions;
    private readonly EndPoint _target;
    private readonly EndPoint? _source;
    private readonly IActorRef _coordinator;
    private readonly Queue<ByteString> _outbox = new();

    private IActorRef? _connection;
    private TlsClientEngine? _tls;
    private ReplyAssembler _replies = new();
    private Step _step;
    private bool _writing;
    private long _sequence;

    // The session in progress.
    private bool _measured;
    private long _sessionStart;
    private long? _connectLatency;
    private long _handshakeStart;
    private long? _handshakeLatency;
    private bool _handshakeFailed;
    private Dictionary<int, int> _replyCounts = [];
    private LoadError? _error;
    private int _transactions;

    // The message in progress: its permit, and when its latency starts.
    private Go? _permit;
    private long _transactionStart;

    public LoadClient(int index, LoadPlan plan, LoadScript script, TlsClientOptions? tls, EndPoint target, IPAddress? source, IActorRef coordinator)
    {
        _index = index;
        _plan = plan;
        _script = script;
        _tlsOptions = tls;
        _target = target;
        _source = source is null ? null : new IPEndPoint(source, 0);
        _coordinator = coordinator;
        Idle();
    }

    /// <summary>Where the session is: what the next reply answers.</summary>
    private enum Step
    {
        Greeting,
        Ehlo,
        StartTls,
        Handshake,
        EhloAgain,
        AwaitingPermit,
        Mail,
        Rcpt,
        Data,
        Message,
        Quit,
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => _coordinator.Tell(new Want(InSession: false, SessionMeasured: false));

    /// <summary>No connection: wait for a permit to open one.</summary>
    private void Idle()
    {
        Receive<Go>(Connect);
        Receive<Finish>(_ => Context.Stop(Self));

        // Late events of a connection already given up (an abort crosses with data in flight).
        ReceiveAny(_ => { });
    }

    private void Connect(Go permit)
    {
        _permit = permit;
        _measured = permit.Measured;
        _sessionStart = Stopwatch.GetTimestamp();
        _transactionStart = 0;
        (_connectLatency, _handshakeLatency, _handshakeFailed, _error, _transactions) = (null, null, false, null, 0);
        _replyCounts = [];
        _replies = new ReplyAssembler();
        _tls = null;
        _outbox.Clear();
        _writing = false;
        Context.System.Tcp().Tell(new Tcp.Connect(_target, _source, timeout: _plan.ReplyTimeout));
        Become(Connecting);
    }

    private void Connecting()
    {
        Receive<Tcp.Connected>(_ =>
        {
            _connection = Sender;
            _connection.Tell(new Tcp.Register(Self));
            _step = Step.Greeting;
            ArmReplyTimer();
            Become(Connected);
        });
        Receive<Tcp.CommandFailed>(failed =>
        {
            var cause = failed.Cause.HasValue ? failed.Cause.Value.Message : "no cause given";
            Failed(new LoadError("connect failed", $"{_target}: {cause}"));
            EndSession();
        });

        // Late events of the previous connection, given up by Abort.
        ReceiveAny(_ => { });
    }

    private void Connected()
    {
        Receive<Tcp.Received>(r => Sender.Equals(_connection), r => Input(r.Data.ToArray()));
        Receive<WriteAcked>(_ => Sender.Equals(_connection), _ => WriteNext());
        Receive<Tcp.ConnectionClosed>(closed => Sender.Equals(_connection), Closed);
        Receive<Tcp.CommandFailed>(f => Sender.Equals(_connection), f => Abort(new LoadError("write failed", $"{_step}: {(f.Cause.HasValue ? f.Cause.Value.Message : "the connection refused a write")}")));
        Receive<ReplyTimedOut>(_ => Abort(new LoadError("timeout", $"no answer within {_plan.ReplyTimeout.TotalSeconds:0.#} s to {Waiting()}")));
        Receive<Go>(permit => _step == Step.AwaitingPermit, BeginTransaction);
        Receive<Finish>(_ => _step == Step.AwaitingPermit, _ => SendQuit());
        ReceiveAny(_ => { });
    }

    /// <summary>After the 221: the server closes (RFC 5321 §4.1.1.10), so the TIME_WAIT stays on its side, not ours.</summary>
    private void Closing()
    {
        Receive<Tcp.ConnectionClosed>(_ => Sender.Equals(_connection), _ => EndSession());
        Receive<ReplyTimedOut>(_ =>
        {
            _connection?.Tell(Tcp.Close.Instance);
            EndSession();
        });
        ReceiveAny(_ => { });
    }

    private void Input(byte[] data)
    {
        if (_tls is null)
        {
            _replies.Append(data);
        }
        else
        {
            var progress = _tls.Offer(data, 0, data.Length);
            SendRaw(_tls.TakeOutput());
            if (progress == TlsProgress.Failed)
            {
                if (_step == Step.Handshake)
                {
                    _handshakeFailed = true;
                }

                Abort(new LoadError("tls failed", $"{Waiting()}: {_tls.FailureReason}"));
                return;
            }

            if (progress is TlsProgress.Established or TlsProgress.Closed && _step == Step.Handshake && _tls.Established)
            {
                HandshakeDone();
            }

            _replies.Append(_tls.TakePlaintext());
        }

        while (_replies.TryTake() is { } reply)
        {
            OnReply(reply);
            if (_connection is null || _step == Step.Handshake)
            {
                // After STARTTLS's 220 any plaintext still buffered is not the server's (RFC 3207 §4.2): ignore it.
                return;
            }
        }

        if (_replies.Malformed is { } why)
        {
            Abort(new LoadError("malformed reply", $"{Waiting()}: {why}"));
        }
    }

    private void OnReply(ServerReply reply)
    {
        Timers.Cancel(nameof(ReplyTimedOut));
        _replyCounts[reply.Code] = _replyCounts.GetValueOrDefault(reply.Code) + 1;
        var expected = _step == Step.Data ? 3 : 2;
        if (reply.Class != expected)
        {
            if (_step == Step.Quit)
            {
                // A refused QUIT still ends the session; the server will close.
                BeginClosing();
                return;
            }

            Failed(new LoadError($"{Waiting()} refused: {reply.Code}", reply.ToString()));
            SendQuit();
            return;
        }

        switch (_step)
        {
            case Step.Greeting:
                _connectLatency = Stopwatch.GetTimestamp() - _sessionStart;
                Command(Step.Ehlo, _script.Ehlo);
                break;
            case Step.Ehlo when _plan.StartTls:
                if (!reply.Advertises("STARTTLS"))
                {
                    Failed(new LoadError("STARTTLS not offered", $"EHLO reply: {reply}"));
                    SendQuit();
                    return;
                }

                Command(Step.StartTls, LoadScript.StartTls);
                break;
            case Step.StartTls:
                _handshakeStart = Stopwatch.GetTimestamp();
                _step = Step.Handshake;
                _replies = new ReplyAssembler();
                _tls = new TlsClientEngine(_tlsOptions!);
                ArmReplyTimer();
                SendRaw(_tls.TakeOutput());
                break;
            case Step.Ehlo or Step.EhloAgain:
                BeginTransaction(_permit!);
                break;
            case Step.Mail:
                Command(Step.Rcpt, _script.Rcpt);
                break;
            case Step.Rcpt:
                Command(Step.Data, LoadScript.Data);
                break;
            case Step.Data:
                _step = Step.Message;
                ArmReplyTimer();
                Send(_script.MessageHead(_index, _sequence++));
                Send(_script.MessageTail);
                break;
            case Step.Message:
                var now = Stopwatch.GetTimestamp();
                _coordinator.Tell(new TransactionEnded(_permit!.Measured, now - _transactionStart, now));
                _permit = null;
                if (++_transactions < _plan.PerConnection)
                {
                    _step = Step.AwaitingPermit;
                    _coordinator.Tell(new Want(InSession: true, SessionMeasured: _measured));
                }
                else
                {
                    SendQuit();
                }

                break;
            case Step.Quit:
                BeginClosing();
                break;
        }
    }

    private void HandshakeDone()
    {
        _handshakeLatency = Stopwatch.GetTimestamp() - _handshakeStart;
        Timers.Cancel(nameof(ReplyTimedOut));
        Command(Step.EhloAgain, _script.Ehlo);
    }

    /// <summary>MAIL for the permit's message; its latency runs from the schedule when there is one (<see cref="Go"/>).</summary>
    private void BeginTransaction(Go permit)
    {
        _permit = permit;
        _transactionStart = permit.ScheduledAt != 0 ? permit.ScheduledAt : Stopwatch.GetTimestamp();
        Command(Step.Mail, _script.Mail);
    }

    private void SendQuit() => Command(Step.Quit, LoadScript.Quit);

    private void BeginClosing()
    {
        if (_tls is { Established: true, Closed: false })
        {
            _tls.Close();
            SendRaw(_tls.TakeOutput());
        }

        ArmReplyTimer();
        Become(Closing);
    }

    private void Command(Step next, byte[] command)
    {
        _step = next;
        ArmReplyTimer();
        Send(command);
    }

    /// <summary>Sends SMTP bytes: in clear, or through the TLS session once it is established (never after it closed).</summary>
    private void Send(byte[] plaintext)
    {
        if (_tls is null)
        {
            SendRaw(plaintext);
        }
        else if (_tls.Established && !_tls.Closed)
        {
            _tls.Write(plaintext);
            SendRaw(_tls.TakeOutput());
        }
    }

    /// <summary>Sends bytes as they are: clear-text SMTP, or the TLS engine's records.</summary>
    private void SendRaw(byte[] bytes)
    {
        if (bytes.Length == 0 || _connection is null)
        {
            return;
        }

        // One write in flight at a time, each acknowledged: the connection never has to buffer without bound.
        // FromBytes wraps without copying: every array sent here is fresh or, like the message tail, never written again.
        _outbox.Enqueue(ByteString.FromBytes(bytes));
        if (!_writing)
        {
            WriteNext();
        }
    }

    private void WriteNext()
    {
        _writing = _outbox.Count > 0;
        if (_writing)
        {
            _connection!.Tell(Tcp.Write.Create(_outbox.Dequeue(), WriteAcked.Instance));
        }
    }

    private void Closed(Tcp.ConnectionClosed closed)
    {
        var how = closed.IsErrorClosed ? $"connection failed: {closed.Cause}" : "server closed the connection";
        _connection = null;
        Failed(new LoadError("connection closed", $"{how} while waiting for {Waiting()}"));
        EndSession();
    }

    /// <summary>The connection is beyond use: record why, reset it, end the session.</summary>
    private void Abort(LoadError error)
    {
        Failed(error);
        _connection?.Tell(Tcp.Abort.Instance);
        EndSession();
    }

    /// <summary>Records the session's first error; the message in progress, if any, failed with it.</summary>
    private void Failed(LoadError error)
    {
        _error ??= error;
        if (_permit is { } permit)
        {
            _coordinator.Tell(new TransactionEnded(permit.Measured, null, Stopwatch.GetTimestamp()));
            _permit = null;
        }
    }

    private void EndSession()
    {
        Timers.Cancel(nameof(ReplyTimedOut));
        var now = Stopwatch.GetTimestamp();
        var tls = _tls is { Established: true } t ? ($"{t.Facts.Version} {t.Facts.Cipher}", t.Facts.Verify) : ((string, string)?)null;
        _coordinator.Tell(new SessionEnded(new SessionOutcome(
            _measured, now, _connectLatency, _handshakeLatency, _handshakeFailed, now - _sessionStart, _replyCounts, tls, _error)));
        _connection = null;
        _tls = null;
        Become(Idle);
        _coordinator.Tell(new Want(InSession: false, SessionMeasured: false));
    }

    private void ArmReplyTimer() => Timers.StartSingleTimer(nameof(ReplyTimedOut), ReplyTimedOut.Instance, _plan.ReplyTimeout);

    /// <summary>What the client was waiting for, for error kinds: the command whose reply did not come.</summary>
    private string Waiting() => _step switch
    {
        Step.Greeting => "greeting",
        Step.Ehlo or Step.EhloAgain => "EHLO",
        Step.StartTls => "STARTTLS",
        Step.Handshake => "TLS handshake",
        Step.Mail => "MAIL",
        Step.Rcpt => "RCPT",
        Step.Data => "DATA",
        Step.Message => "end of data",
        Step.Quit => "QUIT",
        _ => "next message",
    };

    private sealed class WriteAcked : Tcp.Event
    {
        public static readonly WriteAcked Instance = new();
    }

    private sealed class ReplyTimedOut
    {
        public static readonly ReplyTimedOut Instance = new();
    }
}
