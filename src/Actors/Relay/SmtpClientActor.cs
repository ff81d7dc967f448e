using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Gateway.Actors.Connection;
using Gateway.Protocol.Client;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;
using Gateway.Protocol.Tls;

namespace Gateway.Actors.Relay;

/// <summary>
/// One outbound SMTP connection, the client mirror of the ConnectionActor: it finds the destination's addresses, tries
/// them in order until one greets (RFC 5321 §5.1: the next MX on a connection failure or a 4xx/5xx greeting), says
/// EHLO (HELO if refused), STARTTLS when offered with BouncyCastle's client engine (SPEC section 2), asks tls_server
/// (R24), then carries its destination's transactions one after another until it has been idle for the connection
/// cache time. Phases as one enum with one switch, like the server side; the socket through <see cref="Transport"/>.
/// Not here: which message goes where (DestinationActor), retries (QueueActor).
/// </summary>
public sealed partial class SmtpClientActor : UntypedActor, IWithTimers
{
    private readonly Route.Relay _destination;
    private readonly RelaySettings _settings;
    private readonly IActorRef _owner;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _cancel = new();
    private readonly Queue<Expect> _expected = new();

    private Phase _phase = Phase.Resolving;
    private IReadOnlyList<(string Name, IPAddress Address)> _hosts = [];
    private int _host = -1;
    private string _lastFailure = "";
    private bool _lastFailurePermanent;
    private Transport? _transport;
    private IActorRef? _socket;
    private ReplyAssembler _replies = new();
    private ServerExtensions _extensions = ServerExtensions.None;
    private TlsClientEngine? _tls;
    private TlsFacts _facts = TlsFacts.None with { Verify = TlsClientVerifyValues.None };
    private bool _tlsTried;

    public SmtpClientActor(Route.Relay destination, RelaySettings settings, IActorRef owner)
    {
        _destination = destination;
        _settings = settings;
        _owner = owner;
    }

    /// <summary>Where the connection is; each phase has one method that takes its messages.</summary>
    private enum Phase
    {
        /// <summary>Finding the destination's addresses (MX, A/AAAA).</summary>
        Resolving,

        /// <summary>TCP connect to the current address.</summary>
        Connecting,

        /// <summary>Greeting, EHLO/HELO, STARTTLS and its reply, EHLO again: replies in, commands out.</summary>
        Opening,

        /// <summary>Our TLS handshake after the server's 220 (R23); nothing is plaintext.</summary>
        Handshaking,

        /// <summary>Waiting for the PolicyActor's answer to Try_TLS, tls_server or tls_rcpt.</summary>
        AwaitingPolicy,

        /// <summary>Usable and idle: the destination may give it a transaction; QUIT after the cache time.</summary>
        Ready,

        /// <summary>MAIL, RCPT, DATA or BDAT and their replies.</summary>
        Transaction,

        /// <summary>QUIT sent or the socket closing; nothing more is sent.</summary>
        Closing,
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Route.Relay destination, RelaySettings settings, IActorRef owner) =>
        Akka.Actor.Props.Create(() => new SmtpClientActor(destination, settings, owner));

    /// <summary>The host talked to, for the log and the reports: <c>mx.example.net[192.0.2.1]</c>.</summary>
    private string Relay => _host >= 0 && _host < _hosts.Count ? $"{_hosts[_host].Name}[{_hosts[_host].Address}]" : _destination.Host;

    private string HostName => _host >= 0 && _host < _hosts.Count ? _hosts[_host].Name : _destination.Host;

    protected override void PreStart()
    {
        Timers.StartSingleTimer(nameof(ReplyTimeout), new ReplyTimeout("resolving " + _destination.Host), _settings.ConnectTimeout);
        _settings.Resolver.ResolveAsync(_destination, _cancel.Token).PipeTo(
            Self, success: hops => new Resolved(hops), failure: e => new Resolved(new NextHops.Temporary($"4.4.3 cannot find {_destination.Host}: {e.Message}")));
    }

    protected override void PostStop()
    {
        _cancel.Cancel();
        _cancel.Dispose();

        // Stopped with the socket open (by the destination's end, a crash): reset it rather than leave it.
        _transport?.Abort();
    }

    protected override void OnReceive(object message)
    {
        // Events of a socket given up (closed for the next host) are not this connection's.
        if (message is Tcp.Event and not Tcp.Connected and not Tcp.CommandFailed { Cmd: Tcp.Connect } && !Sender.Equals(_socket))
        {
            return;
        }

        if (_transport?.Inbound(message) is not { } input)
        {
            if (_transport is not null)
            {
                return;
            }

            input = message;
        }

        switch (_phase)
        {
            case Phase.Resolving:
                Resolving(input);
                break;
            case Phase.Connecting:
                Connecting(input);
                break;
            case Phase.Opening:
            case Phase.Transaction:
                Talking(input);
                break;
            case Phase.Handshaking:
                Handshaking(input);
                break;
            case Phase.AwaitingPolicy:
                AwaitingPolicy(input);
                break;
            case Phase.Ready:
                Ready(input);
                break;
            case Phase.Closing:
                Closing(input);
                break;
        }
    }

    private void Resolving(object message)
    {
        switch (message)
        {
            case Resolved { Hops: NextHops.Hosts hosts } when hosts.Addresses.Count > 0:
                _hosts = hosts.Addresses;
                NextHost();
                break;
            case Resolved { Hops: NextHops.Permanent permanent }:
                GiveUp(permanent.Reply, permanent: true);
                break;
            case Resolved { Hops: NextHops.Temporary temporary }:
                GiveUp(temporary.Reply, permanent: false);
                break;
            case Resolved:
                GiveUp($"4.4.3 no address for {_destination.Host}", permanent: false);
                break;
            case ReplyTimeout:
                GiveUp($"4.4.3 no answer from DNS for {_destination.Host} within {_settings.ConnectTimeout.TotalSeconds} s", permanent: false);
                break;
            default:
                Common(message);
                break;
        }
    }

    /// <summary>The next address, or the end: the destination learns why the last one failed.</summary>
    private void NextHost()
    {
        _transport = null;
        _socket = null;
        _replies = new ReplyAssembler();
        _expected.Clear();
        (_extensions, _tls, _tlsTried) = (ServerExtensions.None, null, false);
        _facts = TlsFacts.None with { Verify = TlsClientVerifyValues.None };
        if (++_host >= _hosts.Count)
        {
            GiveUp(_lastFailure.Length > 0 ? _lastFailure : $"4.4.1 no usable host for {_destination.Host}", _lastFailurePermanent);
            return;
        }

        var endpoint = new IPEndPoint(_hosts[_host].Address, _destination.Port);
        _phase = Phase.Connecting;
        Timers.Cancel(nameof(ReplyTimeout));
        Context.System.Tcp().Tell(new Tcp.Connect(endpoint, timeout: _settings.ConnectTimeout, pullMode: true));
    }

    private void Connecting(object message)
    {
        switch (message)
        {
            case Tcp.Connected:
                _socket = Sender;
                _socket.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: false, useResumeWriting: false));
                _transport = new Transport(_socket, Self);
                _phase = Phase.Opening;
                Await(new Expect(StepKind.Greeting, _settings.GreetingTimeout));
                _transport.ReadWhenFlushed();
                break;
            case Tcp.CommandFailed failed:
                HostFailed($"4.4.1 connect to {Relay}:{_destination.Port}: {(failed.Cause.HasValue ? failed.Cause.Value.Message : "connection failed")}", permanent: false, quit: false);
                break;
            default:
                Common(message);
                break;
        }
    }

    /// <summary>This address is no good: log it, close (QUIT first if the server talks), and try the next one.</summary>
    private void HostFailed(string reply, bool permanent, bool quit)
    {
        _log.Info("relay={0}, {1}", Relay, reply);
        (_lastFailure, _lastFailurePermanent) = (reply, permanent);
        if (_transport is { } transport)
        {
            if (quit)
            {
                Send("QUIT");
            }

            transport.Close();
        }

        NextHost();
    }

    /// <summary>No address works: the destination hears why, and this connection ends.</summary>
    private void GiveUp(string reply, bool permanent)
    {
        _owner.Tell(new RelayProtocol.Unusable(reply, permanent));
        Context.Stop(Self);
    }

    /// <summary>Bytes in, plaintext or TLS, framed into replies for the phase that waits for them.</summary>
    private void Talking(object message)
    {
        if (message is ReplyTimeout or Transport.Closed or Transport.Failed && _expected.TryPeek(out var awaited) && awaited.Step.Kind == StepKind.StartTls)
        {
            // R22's last row: no reply to STARTTLS (read error or timeout) is {verify}=FAILURE; the connection is lost.
            _facts = TlsFacts.None with { Verify = TlsClientVerifyValues.Failure };
            _log.Warning("STARTTLS=client, relay={0}, error: no reply to STARTTLS, verify=FAILURE", Relay);
        }

        switch (message)
        {
            case Transport.Received received:
                Input(received.Data);
                break;
            case ReplyTimeout timeout:
                Lost($"4.4.2 conversation with {Relay} timed out while {timeout.While}", quit: false);
                break;
            case Transport.Closed:
                Lost($"4.4.2 lost connection with {Relay} while {Waiting()}", quit: false);
                break;
            case Transport.Failed failed:
                Lost($"4.4.2 lost connection with {Relay} while {Waiting()} ({failed.Command})", quit: false);
                break;
            default:
                Common(message);
                break;
        }
    }

    private void Input(ByteString data)
    {
        if (_tls is { Established: true } tls)
        {
            var bytes = data.ToArray();
            if (tls.Offer(bytes, 0, bytes.Length) == TlsProgress.Failed)
            {
                Lost($"4.4.2 TLS session with {Relay} failed: {tls.FailureReason}", quit: false);
                return;
            }

            _replies.Append(tls.TakePlaintext());
            _transport!.Send(tls.TakeOutput());
        }
        else
        {
            _replies.Append(data.ToArray());
        }

        while (_phase is Phase.Opening or Phase.Transaction && _expected.Count > 0 && _replies.TryTake() is { } reply)
        {
            var expect = _expected.Dequeue();
            if (_expected.Count > 0)
            {
                Timers.StartSingleTimer(nameof(ReplyTimeout), new ReplyTimeout(_expected.Peek().Step.Describe()), _expected.Peek().Timeout);
            }
            else
            {
                Timers.Cancel(nameof(ReplyTimeout));
            }

            OnReply(expect.Step, reply);
        }

        if (_replies.Malformed is { } malformed && _phase is Phase.Opening or Phase.Transaction)
        {
            Lost($"4.5.0 {Relay} sent a malformed reply: {malformed}", quit: false);
            return;
        }

        if (_phase is Phase.Opening or Phase.Transaction or Phase.Ready)
        {
            _transport?.ReadWhenFlushed();
        }
    }

    private void OnReply(Step step, ServerReply reply)
    {
        if (step.IsOpening)
        {
            OpeningReply(step, reply);
        }
        else
        {
            TransactionReply(step, reply);
        }
    }

    /// <summary>Sends one command line (with CRLF), through TLS when it is on.</summary>
    private void Send(string line) => SendBytes(Encoding.UTF8.GetBytes(line + "\r\n"));

    private void SendBytes(byte[] bytes)
    {
        if (_transport is not { } transport)
        {
            return;
        }

        if (_tls is { Established: true, Closed: false } tls)
        {
            tls.Write(bytes);
            transport.Send(tls.TakeOutput());
        }
        else
        {
            transport.Send(bytes);
        }
    }

    /// <summary>A reply is awaited: its step and deadline join the queue (more than one with PIPELINING, RFC 2920).</summary>
    private void Await(Expect expect)
    {
        if (_expected.Count == 0)
        {
            Timers.StartSingleTimer(nameof(ReplyTimeout), new ReplyTimeout(expect.Step.Describe()), expect.Timeout);
        }

        _expected.Enqueue(expect);
    }

    private string Waiting() => _expected.TryPeek(out var next) ? next.Step.Describe() : _phase.ToString().ToLowerInvariant();

    private void Ready(object message)
    {
        switch (message)
        {
            case RelayProtocol.Transaction transaction:
                Timers.Cancel(nameof(IdleTimeout));
                Begin(transaction);
                break;
            case IdleTimeout:
                Quit();
                break;
            case Transport.Received received:
                // Something unasked while idle (a 421 before closing, usually): read it, and end here.
                Input(received.Data);
                Closing(Transport.Closed.Instance);
                break;
            case Transport.Closed or Transport.Failed:
                Context.Stop(Self);
                break;
            default:
                Common(message);
                break;
        }
    }

    /// <summary>Offered to the destination for its next transaction; QUIT when none comes within the cache time.</summary>
    private void BecomeReady()
    {
        _phase = Phase.Ready;
        Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.ConnectionCacheTime);
        _owner.Tell(new RelayProtocol.Ready(Self));
    }

    private void Quit()
    {
        _phase = Phase.Closing;
        Send("QUIT");
        if (_tls is { Established: true, Closed: false } tls)
        {
            tls.Close();
            _transport?.Send(tls.TakeOutput());
        }

        _transport?.Close();
        Timers.StartSingleTimer(nameof(ReplyTimeout), new ReplyTimeout("closing"), _settings.CommandTimeout);
    }

    private void Closing(object message)
    {
        switch (message)
        {
            case Transport.Closed or Transport.Failed or ReplyTimeout:
                Context.Stop(Self);
                break;
            case RelayProtocol.Transaction transaction:
                // Given a job as it was closing (the idle time ran out as the destination chose it): hand it back.
                _owner.Tell(new RelayProtocol.TransactionDone(transaction.Job, transaction.Requester, transaction.Job.All(AttemptResultKind.Deferred, "4.4.2 connection closed before the transaction began")));
                break;
            case Transport.Received:
                break;
            default:
                Common(message);
                break;
        }
    }

    /// <summary>Messages every phase takes: a late timer, a job given as the connection is failing.</summary>
    private void Common(object message)
    {
        switch (message)
        {
            case RelayProtocol.Transaction transaction:
                _owner.Tell(new RelayProtocol.TransactionDone(transaction.Job, transaction.Requester, transaction.Job.All(AttemptResultKind.Deferred, "4.4.2 connection not ready")));
                break;
            case ReplyTimeout or IdleTimeout or Resolved or PolicyTimeout:
                break;
            case Tcp.Connected:
                // A connect that completed after its timeout was taken: close it at once.
                Sender.Tell(Tcp.Abort.Instance);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private sealed record Resolved(NextHops Hops);

    private sealed record ReplyTimeout(string While);

    private sealed record IdleTimeout
    {
        public static readonly IdleTimeout Instance = new();
    }

    private sealed record PolicyTimeout(long Id);
}
