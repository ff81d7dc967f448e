using System.Buffers;

namespace Gateway.Protocol.Framing;

/// <summary>Finds CRLF-terminated command lines without waiting; consumes nothing until a line is whole.</summary>
public static class LineFramer
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <param name="max">Longest line allowed, CRLF included (512 for commands, RFC 5321 §4.5.3.1.4).</param>
    /// <returns>
    /// <see cref="Frame.Line"/> with the line (CRLF removed and consumed); <see cref="Frame.TooLong"/>
    /// either with an over-long line consumed, or, when no CRLF is in sight within <paramref name="max"/>,
    /// with nothing consumed: the caller then discards input up to the next CRLF (<see cref="SkipPastCrlf"/>).
    /// </returns>
    public static Frame Next(ref SequenceReader<byte> input, int max, out ReadOnlySequence<byte> line)
    {
        // TryReadTo leaves the reader where it was when no CRLF is found.
        if (input.TryReadTo(out line, Crlf))
        {
            return line.Length + Crlf.Length <= max ? Frame.Line : Frame.TooLong;
        }

        return input.Remaining >= max ? Frame.TooLong : Frame.NeedMore;
    }

    /// <summary>
    /// Discards input up to and including the next CRLF. Returns true when it was found; otherwise
    /// everything is consumed except a trailing CR, which may be the first half of the CRLF.
    /// </summary>
    public static bool SkipPastCrlf(ref SequenceReader<byte> input)
    {
        // A loop, not recursion: a line of bare LFs must not grow the stack (one frame per LF
        // overflowed it, a remote crash). Look back only at bytes this call skipped: an LF first
        // in the input has no CR before it (a trailing CR is never consumed), and Rewind(2) there threw.
        var start = input.Consumed;
        while (input.TryAdvanceTo((byte)'\n', advancePastDelimiter: true))
        {
            // A bare LF is not a line end (RFC 5321 §2.3.8): keep skipping unless CR preceded it.
            if (input.Consumed - start >= 2)
            {
                input.Rewind(2);
                var crlf = input.TryPeek(out var previous) && previous == (byte)'\r';
                input.Advance(2);
                if (crlf)
                {
                    return true;
                }
            }
        }

        var keep = input.Remaining > 0 && input.Sequence.Slice(input.Sequence.Length - 1).FirstSpan[0] == (byte)'\r' ? 1 : 0;
        input.Advance(input.Remaining - keep);
        return false;
    }
}
