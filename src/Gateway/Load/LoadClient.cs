using System.Diagnostics;
using System.Globalization;
using System.Net;
using Akka.Actor;
using Gateway.Protocol.Client;
using Gateway.Protocol.Tls;
using static Gateway.Load.LoadProtocol;

namespace Gateway.Load;

/// <summary>
/// One simulated SMTP client: an actor with at most one connection at a time (a <see cref="ClientConnection"/>:
/// asynchronous socket operations reported as messages, so no thread is held while waiting). It asks the coordinator before every message, connects, says EHLO,
/// optionally STARTTLS with BouncyCastle's client engine (the same <see cref="TlsClientEngine"/> the probe uses),
/// sends MAIL, RCPT, DATA and the message in lock step, and QUITs. Every reply is counted by code; the first
/// thing that goes wrong in a session is reported by kind, and the session ends there.
/// </summary>
internal sealed class LoadClient : UntypedActor, IWithTimers
{
    private readonly int _index;
    private readonly LoadPlan _plan;
    private readonly LoadScript _script;
    private readonly TlsClientOptions? _tlsOptions;
    private readonly EndPoint _target;
    private readonly IPEndPoint? _source;
    private readonly IActorRef _coordinator;
    private readonly Queue<byte[]> _outbox = new();

    private ClientConnection? _connection;
    private int _connections;
    private TlsClientEngine? _tls;
    private ReplyAssembler _replies = new();
    private Phase _phase;
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
    }

    /// <summary>
    /// The connection's life. A switch on this, rather than ReceiveActor's Become: Become builds a new
    /// matcher each time, and at four phases per session that showed up in profiles as compiled lambdas
    /// being made and finalized (about 6% of the load tool's samples).
    /// </summary>
    private enum Phase
    {
        Idle,
        Connecting,
        Connected,
        Closing,
    }

    /// <summary>Where the session is: what the next reply answers.</summary>
    private enum Step
    {
        Connect,
        Greeting,
        Ehlo,
        StartTls,
        Handshake,
        EhloAgain,
        AwaitingPermit,
        Holding,
        Mail,
        Rcpt,
        Data,
        Message,
        Quit,
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => _coordinator.Tell(new Want(InSession: false, SessionMeasured: false));

    /// <summary>Stopped with a session still open (the hard timeout, the end of the grace): reset it rather than leave it to the server's idle timer.</summary>
    protected override void PostStop() => _connection?.Abort();

    protected override void OnReceive(object message)
    {
        // Late events of a connection already given up (an abort crosses with data in flight) are dropped.
        if (message is ClientConnection.Event late && late.Connection != _connection?.Number)
        {
            return;
        }

        switch (_phase)
        {
            case Phase.Idle:
                Idle(message);
                break;
            case Phase.Connecting:
                Connecting(message);
                break;
            case Phase.Connected:
                Connected(message);
                break;
            case Phase.Closing:
                Closing(message);
                break;
        }
    }

    /// <summary>No connection: wait for a permit to open one.</summary>
    private void Idle(object message)
    {
        switch (message)
        {
            case Go permit:
                Connect(permit);
                break;
            case Finish:
                Context.Stop(Self);
                break;
        }
    }

    private void Connect(Go permit)
    {
        // A held session carries no message: nothing to count as sent or failed.
        _permit = _plan.Hold ? null : permit;
        _measured = permit.Measured;
        _sessionStart = Stopwatch.GetTimestamp();
        _transactionStart = 0;
        (_connectLatency, _handshakeLatency, _handshakeFailed, _error, _transactions) = (null, null, false, null, 0);
        _replyCounts = [];
        _replies = new ReplyAssembler();
        _tls = null;
        _outbox.Clear();
        _writing = false;
        _connection = new ClientConnection(++_connections, Self, _target.AddressFamily);
        _step = Step.Connect;
        ArmReplyTimer();
        _phase = Phase.Connecting;
        _connection.Connect(_target, _source);
    }

    private void Connecting(object message)
    {
        switch (message)
        {
            case ClientConnection.Connected:
                _step = Step.Greeting;
                ArmReplyTimer();
                _phase = Phase.Connected;
                _connection!.Read();
                break;
            case ClientConnection.Failed failed:
                Abort(new LoadError("connect failed", $"{_target}: {failed.Reason}"));
                break;
            case ReplyTimedOut:
                Abort(new LoadError("timeout", Invariant($"no connection to {_target} within {_plan.ReplyTimeout.TotalSeconds:0.#} s")));
                break;
        }
    }

    private void Connected(object message)
    {
        switch (message)
        {
            case ClientConnection.Received received:
                Input(received.Data);

                // Pull the next chunk only now: the server's bytes never pile up in the mailbox.
                _connection?.Read();
                break;
            case ClientConnection.Sent:
                WriteNext();
                break;
            case ClientConnection.Closed closed:
                Closed(closed);
                break;
            case ClientConnection.Failed failed:
                Abort(new LoadError("write failed", $"{Waiting()}: {failed.Reason}"));
                break;
            case ReplyTimedOut:
                Abort(new LoadError("timeout", Invariant($"no answer within {_plan.ReplyTimeout.TotalSeconds:0.#} s to {Waiting()}")));
                break;
            case Go permit when _step == Step.AwaitingPermit:
                BeginTransaction(permit);
                break;
            case Finish when _step is Step.AwaitingPermit or Step.Holding:
                SendQuit();
                break;
        }
    }

    /// <summary>After the 221: the server closes (RFC 5321 §4.1.1.10), so the TIME_WAIT stays on its side, not ours.</summary>
    private void Closing(object message)
    {
        switch (message)
        {
            case ClientConnection.Received:
                // Whatever a server says after 221 (close_notify, say) is read and ignored until it closes.
                _connection!.Read();
                break;
            case ClientConnection.Sent:
                WriteNext();
                break;
            case ClientConnection.Closed or ClientConnection.Failed:
                EndSession();
                break;
            case ReplyTimedOut:
                EndSession();
                break;
        }
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
            case Step.Ehlo or Step.EhloAgain when _plan.Hold:
                // No reply is awaited while held: the server may keep the session until its idle timeout.
                _step = Step.Holding;
                _coordinator.Tell(Holding.Instance);
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
        _phase = Phase.Closing;
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

        // One write in flight at a time, in order; a write that completes at once needs no message.
        _outbox.Enqueue(bytes);
        if (!_writing)
        {
            WriteNext();
        }
    }

    private void WriteNext()
    {
        _writing = false;
        while (_connection is not null && _outbox.TryDequeue(out var bytes))
        {
            if (!_connection.Write(bytes))
            {
                _writing = true;
                return;
            }
        }
    }

    private void Closed(ClientConnection.Closed closed)
    {
        var how = closed.Error is { } error ? $"connection failed: {error}" : "server closed the connection";
        Failed(new LoadError("connection closed", $"{how} while waiting for {Waiting()}"));
        EndSession();
    }

    /// <summary>The connection is beyond use: record why, reset it, end the session.</summary>
    private void Abort(LoadError error)
    {
        Failed(error);
        _connection?.Abort();
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
        _connection?.Dispose();
        _connection = null;
        _tls = null;
        _outbox.Clear();
        _writing = false;
        _phase = Phase.Idle;
        _coordinator.Tell(new Want(InSession: false, SessionMeasured: false));
    }

    private void ArmReplyTimer() => Timers.StartSingleTimer(nameof(ReplyTimedOut), ReplyTimedOut.Instance, _plan.ReplyTimeout);

    /// <summary>What the client was waiting for, for error kinds: the command whose reply did not come.</summary>
    private string Waiting() => _step switch
    {
        Step.Connect => "connection",
        Step.Greeting => "greeting",
        Step.Ehlo or Step.EhloAgain => "EHLO",
        Step.StartTls => "STARTTLS",
        Step.Handshake => "TLS handshake",
        Step.Mail => "MAIL",
        Step.Rcpt => "RCPT",
        Step.Data => "DATA",
        Step.Message => "end of data",
        Step.Quit => "QUIT",
        Step.Holding => "nothing (session held)",
        _ => "next message",
    };

    private sealed class ReplyTimedOut
    {
        public static readonly ReplyTimedOut Instance = new();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
