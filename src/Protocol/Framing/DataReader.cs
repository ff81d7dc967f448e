using System.Buffers;

namespace Gateway.Protocol.Framing;

/// <summary>
/// Reads a DATA body (RFC 5321 §4.1.1.4): removes dot-stuffing (§4.5.2), stops only at CRLF "." CRLF,
/// and copies the content with its CRLFs to a sink. Strict about line endings: a bare CR or LF
/// never starts or ends a line, so "LF . LF" and "CR . CR LF" cannot end the data (the 2023 SMTP
/// smuggling attacks); the body is read to its real end and then refused. Past the size limit it
/// stops copying but keeps reading to the final dot, so the dialog stays in sync.
/// </summary>
public sealed class DataReader(long maxSize, int maxLine = Limits.TextLine)
{
    private enum State { LineStart, InLine, SawCr, Dot, DotCr }

    private State _state = State.LineStart;
    private int _lineLength;

    public long Size { get; private set; }

    public ContentStatus Status { get; private set; } = ContentStatus.Ok;

    /// <summary>Consumes input; returns true once the terminating CRLF.CRLF has been consumed.</summary>
    public bool Read(ref SequenceReader<byte> input, IBufferWriter<byte> sink)
    {
        while (!input.End)
        {
            var span = input.UnreadSpan;
            var used = Scan(span, sink, out var done);
            input.Advance(used);
            if (done)
            {
                return true;
            }
        }

        return false;
    }

    private int Scan(ReadOnlySpan<byte> span, IBufferWriter<byte> sink, out bool done)
    {
        done = false;
        var i = 0;
        while (i < span.Length)
        {
            if (_state == State.InLine)
            {
                // Copy the run up to the next CR or LF in one piece.
                var run = span[i..].IndexOfAny((byte)'\r', (byte)'\n');
                var length = run < 0 ? span.Length - i : run;
                Emit(span.Slice(i, length), sink);
                _lineLength += length;
                i += length;
                if (i == span.Length)
                {
                    break;
                }
            }

            var b = span[i++];
            Step(b, sink, ref done);
            if (done)
            {
                return i;
            }
        }

        return i;
    }

    private void Step(byte b, IBufferWriter<byte> sink, ref bool done)
    {
        switch (_state)
        {
            case State.LineStart when b == '.':
                _state = State.Dot;
                break;
            case State.Dot when b == '\r':
                _state = State.DotCr;
                break;
            case State.DotCr when b == '\n':
                done = true;
                break;
            case State.DotCr:
                // "." CR x: the CR was bare. The line so far is "." (stuffed dot removed) + CR.
                Violation(ContentStatus.BareLineEnding);
                Emit("\r"u8, sink);
                _state = State.InLine;
                Step(b, sink, ref done);
                break;
            case State.SawCr when b == '\n':
                Emit("\r\n"u8, sink);
                EndLine();
                break;
            case State.SawCr:
                Violation(ContentStatus.BareLineEnding);
                Emit("\r"u8, sink);
                _state = State.InLine;
                Step(b, sink, ref done);
                break;
            case State.LineStart or State.Dot or State.InLine when b == '\r':
                _state = State.SawCr;
                break;
            case State.LineStart or State.Dot or State.InLine when b == '\n':
                // A bare LF does not start a new line: "LF . CR LF" must not end the data.
                Violation(ContentStatus.BareLineEnding);
                Emit("\n"u8, sink);
                _state = State.InLine;
                break;
            default:
                // RFC 5321 §4.5.2: a leading dot was stuffing; this byte is content.
                Emit([b], sink);
                _lineLength++;
                _state = State.InLine;
                break;
        }
    }

    private void EndLine()
    {
        // RFC 5321 §4.5.3.1.6: 998 octets of text plus CRLF.
        if (_lineLength > maxLine - 2)
        {
            Violation(ContentStatus.LineTooLong);
        }

        _lineLength = 0;
        _state = State.LineStart;
    }

    private void Emit(ReadOnlySpan<byte> bytes, IBufferWriter<byte> sink)
    {
        Size += bytes.Length;
        if (Size > maxSize)
        {
            Violation(ContentStatus.TooBig);
            return;
        }

        if (Status == ContentStatus.Ok)
        {
            sink.Write(bytes);
        }
    }

    private void Violation(ContentStatus status)
    {
        if (Status == ContentStatus.Ok)
        {
            Status = status;
        }
    }
}
