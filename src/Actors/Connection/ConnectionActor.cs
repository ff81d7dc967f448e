using System.Buffers;
using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Gateway.Actors.Policy;
using Gateway.Actors.Queue;
using Gateway.Protocol;
using Gateway.Protocol.Access;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Framing;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;
using Envelope = Gateway.Protocol.Mail.Envelope;
using R = Gateway.Protocol.Replies.Replies;

namespace Gateway.Actors.Connection;

/// <summary>
/// Owns one SMTP connection: bytes in, framing, the session rules, replies out, the idle timer,
/// and the hand-off of each message to the spool; it answers 250 only after the spool's commit.
/// Trust: every byte it receives comes from an untrusted client.
/// Not here: what a command means (SessionRules), storage (ISpool), delivery (QueueActor).
/// </summary>
public sealed class ConnectionActor : ReceiveActor, IWithTimers
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

    protected override void PreStart()
    {
        Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.IdleTimeout);
        if (_settings.Resolver is { } resolver && _address is { } address)
        {
            // Nothing is read before the greeting (pull mode), so the client waits for the lookup like it waits for sendmail's.
            _resolving = true;
            Timers.StartSingleTimer(nameof(ResolveTimeout), ResolveTimeout.Instance, _settings.ResolveTimeout);
            resolver.ResolveAsync(address, CancellationToken.None).PipeTo(
                Self, success: host => new ClientResolved(host), failure: _ => new ClientResolved(new ClientHost(address, null, ClientResolve.Temp)));
            return;
        }

        Begin();
    }

    private void Resolved(ClientHost host)
    {
        _resolving = false;
        Timers.Cancel(nameof(ResolveTimeout));
        _session = _session with { Host = host };
        ClientName = host.Name;
        LogAbove(13, "{0}: client_name={1}, client_resolve={2}", Relay, host.Name, host.Resolve.Value());
        Begin();
    }

    /// <summary>The access map's Connect: and Srv_Features (when there is a map), then the greeting.</summary>
    private void Begin()
    {
        if (_settings.Policy is null)
        {
            Open();
            return;
        }

        // Connect: first (a refusal puts the session in restricted mode from the greeting on), then
        // Srv_Features (R63), which decide whether STARTTLS is offered and a certificate requested.
        AskPolicy(new PolicyProtocol.CheckConnect(NextQuestion(), ClientName, ClientAddr), connect =>
        {
            switch (connect.Verdict.Kind)
            {
                case VerdictKind.Reject:
                    _session = SessionRules.Restrict(_session, connect.Verdict.ToReply());
                    LogAbove(3, "{0}: connection refused by the access map: {1} ({2})", Relay, connect.Verdict.Reply, connect.Verdict.Reason);
                    break;
                case VerdictKind.Relay:
                    _clientMayRelay = true;
                    break;
                case VerdictKind.Discard:
                    _discardAll = true;
                    break;
            }

            AskPolicy(new PolicyProtocol.SrvFeatures(NextQuestion(), ClientName, ClientAddr), features =>
            {
                if (features.Verdict.Refuses && _session.Restricted is null)
                {
                    // R63: srv_features could not be answered: restricted mode with sendmail's reply, logged above 4.
                    LogAbove(4, "ERROR: srv_features=tempfail, relay={0}, access temporarily disabled", Relay);
                    _session = SessionRules.Restrict(_session, Verdict.Reject(450, "4.3.0", "Please try again later.").ToReply());
                }

                if (features.Features.OfferStartTls == false)
                {
                    _session = _session with { TlsHidden = true };
                }

                _requestClientCert = features.Features.RequestClientCertificate;
                Open();
            });
        });
    }

    /// <summary>The greeting, or on an implicit-TLS listener the handshake first.</summary>
    private void Open()
    {
        if (_settings.ImplicitTls && _settings.Tls is not null)
        {
            // SPEC R18: TLS first; the greeting follows the handshake, encrypted.
            BeginTls();
            _transport.ReadWhenFlushed();
            return;
        }

        ReplyWriter.Write(_output, R.Greeting(_settings.Session.Hostname));
        FlushThenRead();
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
        Receive<IdleTimeout>(_ => _awaitedAnswer >= 0, _ => Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.IdleTimeout));
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

            ReplyWriter.Write(_output, R.Timeout(_settings.Session.Hostname));
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
            ReplyWriter.Write(_output, R.Queued(c.Id));
            ReadingAgain();
        });
        Receive<CommitFailed>(f =>
        {
            _log.Error("{0}: spool commit of {1} failed: {2}", _session.ClientAddress, f.Id, f.Reason);
            ReplyWriter.Write(_output, R.SpoolFailed);
            ReadingAgain();
        });
        Receive<Transport.Acknowledged>(_ => _transport.Acked());
        Receive<IdleTimeout>(_ => { });
        Common();
    }

    private long NextQuestion() => ++_policyQuestions;

    /// <summary>tls_client on this connection's current TLS facts (R54, R56); a bare CN compares with {client_name}.</summary>
    private PolicyProtocol.CheckTlsClient TlsClientQuestion(string when) => new(
        NextQuestion(),
        new TlsCheckInput(_facts.Verify, _facts.CipherBits, 0, _facts.CnSubject, _facts.CertSubject, _facts.CertIssuer, ClientName),
        ClientName,
        ClientAddr,
        when);

    private void AskPolicy(PolicyProtocol.Question question, Action<PolicyAnswer> then)
    {
        _awaitedAnswer = question.Id;
        _afterPolicy = then;
        _settings.Policy!.Tell(question);
        _askedAt = DateTime.UtcNow;
        if (!_policyTimerSet)
        {
            // One timer for the whole conversation, not one per question (six a session): when it fires it checks
            // the open question's age and sets itself again for the rest.
            _policyTimerSet = true;
            Timers.StartSingleTimer(nameof(PolicyTimeout), PolicyTimeout.Instance, _settings.PolicyTimeout);
        }
    }

    private void PolicyTimerFired()
    {
        _policyTimerSet = false;
        if (_awaitedAnswer < 0)
        {
            return;
        }

        var waited = DateTime.UtcNow - _askedAt;
        if (waited < _settings.PolicyTimeout)
        {
            _policyTimerSet = true;
            Timers.StartSingleTimer(nameof(PolicyTimeout), PolicyTimeout.Instance, _settings.PolicyTimeout - waited);
            return;
        }

        // R50: the map is unavailable: a temporary failure, never an accept by default.
        _log.Warning("{0}: no answer from the access-map policy within {1}", Relay, _settings.PolicyTimeout);
        Answered(new PolicyAnswer(Verdict.Reject(451, "4.3.0", "Temporary system failure. Please try again later.", "policy timeout"), []));
    }

    private void Answered(PolicyAnswer answer)
    {
        var then = _afterPolicy!;
        _afterPolicy = null;
        _awaitedAnswer = -1;
        then(answer);
        foreach (var held in _heldWhileAsking)
        {
            Self.Tell(held);
        }

        _heldWhileAsking.Clear();
    }

    /// <summary>
    /// R11 then From: for MAIL; To: and relaying for RCPT. The verdict goes into the session rules, which check
    /// syntax and sequence first. Then the pump goes on with whatever the client pipelined after the command.
    /// </summary>
    private Step AskPolicyFor(SmtpCommand command)
    {
        switch (command)
        {
            case SmtpCommand.Mail mail:
                AskPolicy(TlsClientQuestion("MAIL"), tls =>
                {
                    if (tls.Verdict.Refuses)
                    {
                        LogAbove(5, "ruleset=tls_client, arg1=MAIL, relay={0}, reject={1}", Relay, tls.Verdict.Reply);
                        Resume(command, tls.Verdict);
                        return;
                    }

                    AskPolicy(new PolicyProtocol.CheckMail(NextQuestion(), mail.ReversePath?.ToString() ?? ""), from => Resume(command, from.Verdict));
                });
                break;
            case SmtpCommand.Rcpt rcpt:
                var domain = rcpt.ForwardPath.Domain;
                var local = domain.Length == 0 || _settings.Session.IsLocal(domain.TrimEnd('.'));
                AskPolicy(
                    new PolicyProtocol.CheckRcpt(NextQuestion(), rcpt.ForwardPath.ToString(), local, _clientMayRelay, _facts.Verify, _facts.CertIssuer, _facts.CertSubject),
                    to => Resume(command, to.Verdict));
                break;
        }

        return Step.Waiting;
    }

    private void Resume(SmtpCommand command, Verdict verdict)
    {
        switch (Execute(SessionRules.Apply(_session, command, _settings.Session, verdict), command))
        {
            case Step.Close:
                Close();
                break;
            default:
                Pump();
                break;
        }
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

    private void Pump()
    {
        var reader = new SequenceReader<byte>(_input.Unconsumed);
        var step = Step.Continue;
        while (step == Step.Continue)
        {
            step = Next(ref reader);
        }

        _input.Consume(reader.Consumed);
        switch (step)
        {
            case Step.NeedInput:
                FlushThenRead();
                break;
            case Step.Waiting:
                Flush();
                break;
            case Step.Close:
                Close();
                break;
        }
    }

    private Step Next(ref SequenceReader<byte> input) => _mode switch
    {
        InputMode.Commands => NextCommand(ref input),
        InputMode.SkipLine => SkipLine(ref input),
        InputMode.DataBody body => ReadData(ref input, body.Reader),
        InputMode.Chunk chunk => ReadChunk(ref input, chunk),
        _ => throw new InvalidOperationException($"unknown input mode {_mode}"),
    };

    private Step NextCommand(ref SequenceReader<byte> input)
    {
        var before = input.Consumed;
        switch (LineFramer.Next(ref input, Limits.CommandLineWithParameters, out var line))
        {
            case Frame.NeedMore:
                return Step.NeedInput;
            case Frame.TooLong when input.Consumed == before:
                _mode = InputMode.SkipLine.Instance;
                return Step.Continue;
            case Frame.TooLong:
                return Execute(SessionRules.Bad(_session, R.LineTooLong, _settings.Session), null);
            default:
                var command = CommandParser.Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray());
                // Only a MAIL or RCPT that can succeed is worth a question: a sequence error is answered at once, as sendmail does.
                if (_settings.Policy is not null && _session.Restricted is null
                    && ((command is SmtpCommand.Mail && _session is { HeloName: not null, Transaction: null })
                        || (command is SmtpCommand.Rcpt && _session.Transaction is { BdatStarted: false })))
                {
                    return AskPolicyFor(command);
                }

                var decision = SessionRules.Apply(_session, command, _settings.Session);
                var step = Execute(decision, command);
                if (decision.Action == SessionAction.StartTls)
                {
                    // SPEC R82 (CVE-2011-0411): what the client pipelined after STARTTLS arrived in
                    // clear text and must never run as a command, before or after the handshake.
                    var discarded = input.Remaining;
                    input.Advance(discarded);
                    if (discarded > 0)
                    {
                        LogAbove(5, "possible STARTTLS command injection from {0} ({1} bytes discarded)", Relay, discarded);
                    }

                    // The 220 goes out in clear text first (R4); BeginTls then takes the raw stream.
                    _transport.Send(_output);
                    BeginTls();
                    return Step.NeedInput;
                }

                return step;
        }
    }

    private Step SkipLine(ref SequenceReader<byte> input)
    {
        if (!LineFramer.SkipPastCrlf(ref input))
        {
            return Step.NeedInput;
        }

        _mode = InputMode.Commands.Instance;
        return Execute(SessionRules.Bad(_session, R.LineTooLong, _settings.Session), null);
    }

    private Step Execute(Decision decision, SmtpCommand? command)
    {
        _session = decision.State;
        if (_session.Transaction is null)
        {
            // RSET, EHLO or HELO abandoned the transaction (RFC 3030 §4): its chunks must not
            // leak into the next message, nor their size count toward its limit.
            _content = null;
            _chunkedSoFar = 0;
        }

        if (decision.Reply is { } reply && decision.Action is not SessionAction.DiscardChunk)
        {
            ReplyWriter.Write(_output, reply);
        }

        switch (decision.Action)
        {
            case SessionAction.Close:
                return Step.Close;
            case SessionAction.ReceiveData:
                _content = new MessageContent();
                _mode = new InputMode.DataBody(new DataReader(_settings.Session.MaxMessageSize));
                break;
            case SessionAction.ReceiveChunk when command is SmtpCommand.Bdat bdat:
                _content ??= new MessageContent();
                _mode = new InputMode.Chunk(new ChunkReader(bdat.Size, _chunkedSoFar, _settings.Session.MaxMessageSize), bdat.Last, null);
                break;
            case SessionAction.DiscardChunk when command is SmtpCommand.Bdat bdat:
                _mode = new InputMode.Chunk(new ChunkReader(bdat.Size, 0, long.MaxValue), bdat.Last, decision.Reply);
                break;
        }

        return Step.Continue;
    }

    private Step ReadData(ref SequenceReader<byte> input, DataReader reader)
    {
        if (!reader.Read(ref input, _content!))
        {
            return Step.NeedInput;
        }

        _mode = InputMode.Commands.Instance;
        return reader.Status switch
        {
            ContentStatus.Ok => Commit(),
            ContentStatus.TooBig => Refuse(R.MessageTooBig(_settings.Session.MaxMessageSize)),
            ContentStatus.BareLineEnding => Refuse(R.BareLineEnding),
            _ => Refuse(R.TextLineTooLong),
        };
    }

    private Step ReadChunk(ref SequenceReader<byte> input, InputMode.Chunk chunk)
    {
        var sink = chunk.DiscardReply is null ? (IBufferWriter<byte>)_content! : DiscardingWriter.Instance;
        if (!chunk.Reader.Read(ref input, sink))
        {
            return Step.NeedInput;
        }

        _mode = InputMode.Commands.Instance;
        if (chunk.DiscardReply is { } discarded)
        {
            ReplyWriter.Write(_output, discarded);
            return Step.Continue;
        }

        _chunkedSoFar = chunk.Reader.MessageSize;
        if (chunk.Reader.Status == ContentStatus.TooBig)
        {
            // RFC 3030 §3: a refused chunk fails the transaction; later chunks find no transaction.
            return Refuse(R.MessageTooBig(_settings.Session.MaxMessageSize));
        }

        if (!chunk.Last)
        {
            ReplyWriter.Write(_output, R.ChunkAccepted(chunk.Reader.MessageSize));
            return Step.Continue;
        }

        return Commit();
    }

    private Step Refuse(Reply reply)
    {
        ReplyWriter.Write(_output, reply);
        EndTransaction();
        return Step.Continue;
    }

    private void EndTransaction()
    {
        _session = SessionRules.EndTransaction(_session);
        _content = null;
        _chunkedSoFar = 0;
    }

    private Step Commit()
    {
        var transaction = _session.Transaction!;
        var id = _spool.NewId();
        if (transaction.Discard || _discardAll)
        {
            // An access-map DISCARD: accepted as far as the client can tell, then dropped (sendmail's $#discard).
            LogAbove(3, "{0}: message {1} discarded by the access map", Relay, id);
            ReplyWriter.Write(_output, R.Queued(id));
            EndTransaction();
            return Step.Continue;
        }

        var envelope = transaction.ToEnvelope(
            id, _session.HeloName!, _session.ClientAddress, _session.Protocol(transaction.Parameters.SmtpUtf8), DateTimeOffset.Now, _session.Host?.Description);
        var received = Encoding.UTF8.GetBytes(ReceivedHeader.Build(
            envelope, _settings.Session.Hostname, _settings.Product, _facts.Active ? _facts.ReceivedComment() : null));
        IReadOnlyList<ReadOnlyMemory<byte>> content = [received, .. _content!.Segments()];
        CommitAndAnnounce(_spool, _queue, envelope, content).PipeTo(Self);
        Become(Committing);
        return Step.Waiting;
    }

    /// <summary>
    /// Static so it cannot touch actor state from another thread. The queue hears of the message
    /// even if this connection is gone by the time the commit completes.
    /// </summary>
    private static async Task<object> CommitAndAnnounce(ISpool spool, IActorRef queue, Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content)
    {
        try
        {
            await spool.CommitAsync(envelope, content).ConfigureAwait(false);
            queue.Tell(new QueueProtocol.MessageSpooled(envelope.Id));
            return new Committed(envelope.Id);
        }
#pragma warning disable CA1031 // Any storage failure becomes 452 4.3.1 for this message, never a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new CommitFailed(envelope.Id, e.GetBaseException().Message);
        }
    }

    private void BeginTls()
    {
        // R63: Srv_Features V/v for this client overrides Tls:RequestClientCert.
        _tls = new TlsServerEngine(_requestClientCert is { } request ? _settings.Tls!.WithClientCertificateRequest(request) : _settings.Tls!);
        // A zero deadline (settings left at default) would end every handshake at once; SPEC R5's
        // gateway choice of 5 minutes applies instead.
        var deadline = _settings.HandshakeTimeout > TimeSpan.Zero ? _settings.HandshakeTimeout : TimeSpan.FromMinutes(5);
        Timers.StartSingleTimer(nameof(HandshakeTimeout), HandshakeTimeout.Instance, deadline);
    }

    /// <summary>Ciphertext in: handshake progress, then decrypted commands for the usual pump.</summary>
    private void ReceiveTls(ByteString data)
    {
        var tls = _tls!;
        var bytes = data.ToArray();
        var progress = tls.Offer(bytes, 0, bytes.Length);
        _transport.Send(tls.TakeOutput());
        switch (progress)
        {
            case TlsProgress.Failed when !tls.Established:
                // SPEC R6: the stream is in an undefined state; close without an SMTP reply.
                LogAbove(5, "STARTTLS=server, error: accept failed={0}, relay={1}", tls.FailureReason, Relay);
                CloseWithoutReply();
                return;
            case TlsProgress.Failed:
                LogAbove(9, "STARTTLS=server, relay={0}, TLS session failed: {1}", Relay, tls.FailureReason);
                CloseWithoutReply();
                return;
            case TlsProgress.Closed:
                CloseWithoutReply();
                return;
            case TlsProgress.Established:
                Established(tls);
                if (_afterPolicy is not null)
                {
                    // tls_client is being asked (R7 step 3); what the client sent meanwhile waits its verdict.
                    _input.Append(tls.TakePlaintext());
                    Flush();
                    return;
                }

                break;
            case TlsProgress.Handshaking:
                _transport.ReadWhenFlushed();
                return;
        }

        var plaintext = tls.TakePlaintext();
        if (plaintext.Length > 0)
        {
            _input.Append(plaintext);
        }

        Pump();
    }

    /// <summary>SPEC R7: facts, log, forget the clear-text session (R8), and greet if this is SMTPS (R18).</summary>
    private void Established(TlsServerEngine tls)
    {
        Timers.Cancel(nameof(HandshakeTimeout));
        _facts = tls.Facts;
        _session = SessionRules.AfterTls(_session);
        LogAbove(8, "{0}", _facts.LogSummary(Relay));
        foreach (var (field, error) in new[] { ("cn_subject", _facts.CnSubjectError), ("cn_issuer", _facts.CnIssuerError) })
        {
            if (error != CnError.None)
            {
                // SPEC R43/R80: a certificate whose CN is missing, too long or has a NUL (level > 7 or > 8).
                var cn = new CnResult(null, error);
                LogAbove(cn.LogLevelAbove, "STARTTLS=server, relay={0}, field={1}, status={2}", Relay, field, cn.LogStatus ?? "");
            }
        }

        if (_facts.CertSubject.Length > 0 || tls.VerifyReason.Length > 0)
        {
            LogAbove(11, "STARTTLS=server, cert-subject={0}, cert-issuer={1}, verifymsg={2}", _facts.CertSubject, _facts.CertIssuer, tls.VerifyReason);
        }

        if (_settings.ImplicitTls)
        {
            ReplyWriter.Write(_output, R.Greeting(_settings.Session.Hostname));
        }

        if (_settings.Policy is not null)
        {
            // R7 step 3 / R10: tls_client with "STARTTLS"; a refusal puts the session in restricted mode, TLS stays up.
            AskPolicy(TlsClientQuestion("STARTTLS"), answer =>
            {
                if (answer.Verdict.Refuses)
                {
                    LogAbove(5, "ruleset=tls_client, arg1=STARTTLS, relay={0}, reject={1}", Relay, answer.Verdict.Reply);
                    _session = SessionRules.Restrict(_session, answer.Verdict.ToReply());
                }

                Pump();
            });
        }
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
        IPEndPoint ip => (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(),
        _ => remote.ToString() ?? "unknown",
    };
}
