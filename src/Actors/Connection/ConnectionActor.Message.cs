using System.Buffers;
using System.Diagnostics;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Gateway.Actors.Queue;
using Gateway.Protocol.Framing;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Envelope = Gateway.Protocol.Mail.Envelope;
using Gateway.Actors.Metrics;

namespace Gateway.Actors.Connection;

/// <summary>
/// DATA and BDAT content (phase ReceivingMessage), and the commit to the spool (phase Committing) that must
/// succeed before the 250: nothing accepted is ever lost.
/// </summary>
public sealed partial class ConnectionActor
{
    private sealed record Committed(string Id);

    private sealed record CommitFailed(string Id, string Reason);

    // The transaction's content: it spans phases, because BDAT chunks alternate with BDAT commands. Only this part
    // touches it; the session rules' Transaction says whether there is one.
    private MessageContent? _content;
    private long _chunkedSoFar;

    private void ReceiveData()
    {
        _content = new MessageContent();
        _now = new Now(Phase.ReceivingMessage) { Message = new MessageInput.DataBody(new DataReader(_settings.Session.MaxMessageSize)) };
    }

    private void ReceiveChunk(Protocol.Commands.SmtpCommand.Bdat bdat)
    {
        _content ??= new MessageContent();
        _now = new Now(Phase.ReceivingMessage)
        {
            Message = new MessageInput.Chunk(new ChunkReader(bdat.Size, _chunkedSoFar, _settings.Session.MaxMessageSize), bdat.Last, null),
        };
    }

    /// <summary>RFC 3030 §2: a refused BDAT's chunk follows anyway; it is read and dropped, then <paramref name="reply"/> sent.</summary>
    private void DiscardChunk(Protocol.Commands.SmtpCommand.Bdat bdat, Reply? reply) =>
        _now = new Now(Phase.ReceivingMessage) { Message = new MessageInput.Chunk(new ChunkReader(bdat.Size, 0, long.MaxValue), bdat.Last, reply) };

    private void ForgetMessage()
    {
        _content = null;
        _chunkedSoFar = 0;
    }

    private Step ReadMessage(ref SequenceReader<byte> input, MessageInput message) => message switch
    {
        MessageInput.DataBody body => ReadData(ref input, body.Reader),
        MessageInput.Chunk chunk => ReadChunk(ref input, chunk),
        _ => throw new InvalidOperationException($"unknown message input {message}"),
    };

    private Step ReadData(ref SequenceReader<byte> input, DataReader reader)
    {
        if (!reader.Read(ref input, _content!))
        {
            return Step.NeedInput;
        }

        _now = Now.Commands;
        return reader.Status switch
        {
            ContentStatus.Ok => Commit(),
            ContentStatus.TooBig => Refuse(SmtpReplies.MessageTooBig(_settings.Session.MaxMessageSize)),
            ContentStatus.BareLineEnding => Refuse(SmtpReplies.BareLineEnding),
            _ => Refuse(SmtpReplies.TextLineTooLong),
        };
    }

    private Step ReadChunk(ref SequenceReader<byte> input, MessageInput.Chunk chunk)
    {
        var sink = chunk.DiscardReply is null ? (IBufferWriter<byte>)_content! : DiscardingWriter.Instance;
        if (!chunk.Reader.Read(ref input, sink))
        {
            return Step.NeedInput;
        }

        _now = Now.Commands;
        if (chunk.DiscardReply is { } discarded)
        {
            ReplyWriter.Write(_output, discarded);
            return Step.Continue;
        }

        _chunkedSoFar = chunk.Reader.MessageSize;
        if (chunk.Reader.Status == ContentStatus.TooBig)
        {
            // RFC 3030 §3: a refused chunk fails the transaction; later chunks find no transaction.
            return Refuse(SmtpReplies.MessageTooBig(_settings.Session.MaxMessageSize));
        }

        if (!chunk.Last)
        {
            ReplyWriter.Write(_output, SmtpReplies.ChunkAccepted(chunk.Reader.MessageSize));
            return Step.Continue;
        }

        return Commit();
    }

    private Step Refuse(Reply reply)
    {
        ReplyWriter.Write(_output, reply);
        _counters.MessageRefused((int)reply.Code);
        GatewayMetrics.Reply("DATA", (int)reply.Code);
        EndTransaction();
        return Step.Continue;
    }

    private void EndTransaction()
    {
        _session = SessionRules.EndTransaction(_session);
        ForgetMessage();
    }

    private Step Commit()
    {
        var transaction = _session.Transaction!;
        var id = _spool.NewId();
        if (transaction.Discard || _session.Policy.DiscardAll)
        {
            // An access-map DISCARD: accepted as far as the client can tell, then dropped (sendmail's $#discard).
            LogAbove(3, "{0}: message {1} discarded by the access map", _session.Relay, id);
            ReplyWriter.Write(_output, SmtpReplies.Queued(id));
            EndTransaction();
            return Step.Continue;
        }

        var facts = Facts;
        var envelope = transaction.ToEnvelope(
            id, _session.HeloName!, _session.ClientAddress, _session.Protocol(transaction.Parameters.SmtpUtf8), _settings.Clock.GetLocalNow(), _session.Host?.Description);
        var received = Encoding.UTF8.GetBytes(ReceivedHeader.Build(
            envelope, _settings.Session.Hostname, _settings.Product, facts.Active ? facts.ReceivedComment() : null));
        IReadOnlyList<ReadOnlyMemory<byte>> content = [received, .. _content!.Segments()];
        CommitAndAnnounce(_spool, _queue, envelope, content).PipeTo(Self);
        _now = Now.Committing;
        return Step.Waiting;
    }

    /// <summary>Phase Committing: waiting for the spool; no ResumeReading is sent, so no bytes arrive meanwhile.</summary>
    private void Committing(object message)
    {
        switch (message)
        {
            case Committed c:
                ReplyWriter.Write(_output, SmtpReplies.Queued(c.Id));
                _counters.MessageAccepted();
                GatewayMetrics.Reply("DATA", 250);
                ReadingAgain();
                break;
            case CommitFailed f:
                _log.Error("{0}: spool commit of {1} failed: {2}", _session.ClientAddress, f.Id, f.Reason);
                ReplyWriter.Write(_output, SmtpReplies.SpoolFailed);
                _counters.MessageRefused((int)SmtpReplies.SpoolFailed.Code);
                GatewayMetrics.Reply("DATA", (int)SmtpReplies.SpoolFailed.Code);
                ReadingAgain();
                break;
            case Transport.Received r:
                Keep(r.Data);
                break;
            case IdleTimeout:
                // Re-armed when the commit ends (ReadingAgain): the wait is the spool's, not the client's.
                break;
            default:
                Common(message);
                break;
        }
    }

    private void ReadingAgain()
    {
        // An idle timeout that fired during a slow commit was dropped above; without a new timer a
        // client that then went quiet held its connection for ever (RFC 5321 §4.5.3.2.7).
        PutOffIdleTimeout();
        EndTransaction();
        _now = Now.Commands;
        Pump();
    }

    /// <summary>
    /// Static so it cannot touch actor state from another thread. The queue hears of the message
    /// even if this connection is gone by the time the commit completes.
    /// </summary>
    private static async Task<object> CommitAndAnnounce(ISpool spool, IActorRef queue, Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> content)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await spool.CommitAsync(envelope, content).ConfigureAwait(false);
            GatewayMetrics.CommitTook(started);
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
}
