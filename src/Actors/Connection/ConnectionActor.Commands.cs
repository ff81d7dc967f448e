using System.Buffers;
using Gateway.Actors.Metrics;
using Gateway.Protocol;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Framing;
using Gateway.Protocol.Policy;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Actors.Connection;

/// <summary>The command loop (phase Commands): framing the client's bytes and carrying out the session rules' decisions.</summary>
public sealed partial class ConnectionActor
{
    /// <summary>Frames and answers what the input holds, until it needs more, waits for someone, or closes.</summary>
    private void Pump()
    {
        var reader = new SequenceReader<byte>(_input.Unconsumed);
        var step = Step.Continue;
        while (step == Step.Continue)
        {
            step = _now switch
            {
                { Phase: Phase.Commands, SkippingLine: true } => SkipLine(ref reader),
                { Phase: Phase.Commands } => NextCommand(ref reader),
                { Phase: Phase.ReceivingMessage, Message: { } message } => ReadMessage(ref reader, message),
                _ => Step.Waiting,
            };
        }

        if (_settings.PerRecordDeadline && IsWholeRecord(_input.Unconsumed.Slice(0, reader.Consumed)))
        {
            PutOffIdleTimeout();
        }

        _input.Consume(reader.Consumed);
        ReportIfDrained();
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

    // Per-record deadline: bytes consumed count as progress when they end a line, or are at least a text line's worth
    // (RFC 5321 §4.5.3.1.6: no text line is longer), which covers binary BDAT chunks; a byte at a time never does.
    private static bool IsWholeRecord(ReadOnlySequence<byte> consumed) =>
        consumed.Length >= Limits.TextLine || consumed.PositionOf((byte)'\n') is not null;

    private Step NextCommand(ref SequenceReader<byte> input)
    {
        var before = input.Consumed;
        switch (LineFramer.Next(ref input, Limits.CommandLineWithParameters, out var line))
        {
            case Frame.NeedMore:
                return Step.NeedInput;
            case Frame.TooLong when input.Consumed == before:
                _now = Now.Commands with { SkippingLine = true };
                return Step.Continue;
            case Frame.TooLong:
                return Execute(SessionRules.Bad(_session, SmtpReplies.LineTooLong, _settings.Session), null);
            default:
                var command = CommandParser.Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray());
                if (_draining && _session.Transaction is null && command is not SmtpCommand.Quit)
                {
                    // RFC 5321 §3.8: the node is shutting down; a transaction in flight was let finish first.
                    ReplyWriter.Write(_output, SmtpReplies.ShuttingDown(_settings.Session.Hostname));
                    return Step.Close;
                }

                if (_settings.Policy is not null && PolicyCheckFor(command) is { } check
                    && SessionPolicy.Begin(check, _session, PolicyContext()) is { } ask)
                {
                    Ask(check, ask, Phase.AwaitingPolicy);
                    return Step.Waiting;
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
                        LogAbove(5, "possible STARTTLS command injection from {0} ({1} bytes discarded)", _session.Relay, discarded);
                    }

                    // The 220 goes out in clear text first (R4); BeginTls then takes the raw stream.
                    _transport.Send(_output);
                    BeginTls();
                    return Step.NeedInput;
                }

                return step;
        }
    }

    private static PolicyCheck? PolicyCheckFor(SmtpCommand command) => command switch
    {
        SmtpCommand.Mail mail => new PolicyCheck.Mail(mail),
        SmtpCommand.Rcpt rcpt => new PolicyCheck.Rcpt(rcpt),
        _ => null,
    };

    private Step SkipLine(ref SequenceReader<byte> input)
    {
        if (!LineFramer.SkipPastCrlf(ref input))
        {
            return Step.NeedInput;
        }

        _now = Now.Commands;
        return Execute(SessionRules.Bad(_session, SmtpReplies.LineTooLong, _settings.Session), null);
    }

    /// <summary>Carries out a decision of the session rules: the new state, the reply, and what is read next.</summary>
    private Step Execute(Decision decision, SmtpCommand? command)
    {
        _session = decision.State;
        if (_session.Transaction is null)
        {
            // RSET, EHLO or HELO abandoned the transaction (RFC 3030 §4): its chunks must not
            // leak into the next message, nor their size count toward its limit.
            ForgetMessage();
        }

        if (decision.Reply is { } reply && decision.Action is not SessionAction.DiscardChunk)
        {
            ReplyWriter.Write(_output, reply);
            GatewayMetrics.Command(command, (int)reply.Code);
        }
        else
        {
            GatewayMetrics.Command(command, null);
        }

        switch (decision.Action)
        {
            case SessionAction.Close:
                return Step.Close;
            case SessionAction.ReceiveData:
                ReceiveData();
                break;
            case SessionAction.ReceiveChunk when command is SmtpCommand.Bdat bdat:
                ReceiveChunk(bdat);
                break;
            case SessionAction.DiscardChunk when command is SmtpCommand.Bdat bdat:
                DiscardChunk(bdat, decision.Reply);
                break;
        }

        return Step.Continue;
    }
}
