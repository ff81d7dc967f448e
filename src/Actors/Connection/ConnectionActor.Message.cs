using System.Buffers;
using System.Text;
using Akka.Actor;
using Gateway.Actors.Queue;
using Gateway.Protocol.Framing;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Envelope = Gateway.Protocol.Mail.Envelope;

namespace Gateway.Actors.Connection;

/// <summary>DATA and BDAT content, and the commit to the spool that must succeed before the 250 (nothing accepted is ever lost).</summary>
public sealed partial class ConnectionActor
{
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
            ContentStatus.TooBig => Refuse(SmtpReplies.MessageTooBig(_settings.Session.MaxMessageSize)),
            ContentStatus.BareLineEnding => Refuse(SmtpReplies.BareLineEnding),
            _ => Refuse(SmtpReplies.TextLineTooLong),
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
            ReplyWriter.Write(_output, SmtpReplies.Queued(id));
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
}
