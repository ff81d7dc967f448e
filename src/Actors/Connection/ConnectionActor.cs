using System.Buffers;
using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Gateway.Actors.Queue;
using Gateway.Protocol;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Framing;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
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
    private long _chunkedSoFar;

    public ConnectionActor(IActorRef connection, EndPoint remote, ConnectionSettings settings, ISpool spool, IActorRef queue)
    {
        _settings = settings;
        _spool = spool;
        _queue = queue;
        _transport = new Transport(connection, Self);
        _session = new SessionState(ClientAddress(remote));
        Reading();
    }

    public ITimerScheduler Timers { get; set; } = null!;

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
        ReplyWriter.Write(_output, R.Greeting(_settings.Session.Hostname));
        FlushThenRead();
    }

    private void Reading()
    {
        Receive<Tcp.Received>(r =>
        {
            _input.Append(r.Data);
            Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.IdleTimeout);
            Pump();
        });
        Receive<Transport.Acknowledged>(_ => _transport.Acked());
        Receive<IdleTimeout>(_ =>
        {
            _log.Info("{0}: idle timeout", _session.ClientAddress);
            ReplyWriter.Write(_output, R.Timeout(_settings.Session.Hostname));
            Close();
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
                _transport.Send(_output);
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
                return Execute(SessionRules.Apply(_session, command, _settings.Session), command);
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
        var envelope = transaction.ToEnvelope(
            id, _session.HeloName!, _session.ClientAddress, _session.Protocol(transaction.Parameters.SmtpUtf8), DateTimeOffset.Now);
        var received = Encoding.UTF8.GetBytes(ReceivedHeader.Build(envelope, _settings.Session.Hostname, _settings.Product));
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

    private void FlushThenRead()
    {
        _transport.Send(_output);
        _transport.ReadWhenFlushed();
    }

    private void Close()
    {
        _transport.Send(_output);
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
