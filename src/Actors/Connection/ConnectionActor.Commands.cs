using System.Buffers;
using Gateway.Protocol;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Framing;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Actors.Connection;

/// <summary>The command loop: framing the client's bytes in the current input mode and carrying out the session rules' decisions.</summary>
public sealed partial class ConnectionActor
{
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
                return Execute(SessionRules.Bad(_session, SmtpReplies.LineTooLong, _settings.Session), null);
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
        return Execute(SessionRules.Bad(_session, SmtpReplies.LineTooLong, _settings.Session), null);
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
}
