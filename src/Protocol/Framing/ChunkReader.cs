using System.Buffers;

namespace Gateway.Protocol.Framing;

/// <summary>
/// Reads one BDAT chunk (RFC 3030 §2): exactly the announced number of octets, no dot-stuffing, no
/// end marker. Octets past the message size limit are read and dropped, so the dialog stays in sync.
/// </summary>
public sealed class ChunkReader(long chunkSize, long alreadyReceived, long maxSize)
{
    public long Remaining { get; private set; } = chunkSize;

    public long MessageSize { get; private set; } = alreadyReceived;

    public ContentStatus Status => MessageSize > maxSize ? ContentStatus.TooBig : ContentStatus.Ok;

    /// <summary>Consumes up to the rest of the chunk; returns true when the chunk is complete.</summary>
    public bool Read(ref SequenceReader<byte> input, IBufferWriter<byte> sink)
    {
        while (Remaining > 0 && !input.End)
        {
            var span = input.UnreadSpan;
            var take = (int)Math.Min(span.Length, Remaining);
            MessageSize += take;
            if (MessageSize <= maxSize)
            {
                sink.Write(span[..take]);
            }

            input.Advance(take);
            Remaining -= take;
        }

        return Remaining == 0;
    }
}
