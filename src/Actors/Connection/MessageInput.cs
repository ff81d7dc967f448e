using Gateway.Protocol.Framing;
using Gateway.Protocol.Replies;

namespace Gateway.Actors.Connection;

/// <summary>
/// How message content is read in phase ReceivingMessage: a DATA body (dot-unstuffed up to CRLF.CRLF) or a BDAT
/// chunk of a stated size. Framing stops after DATA and BDAT because the bytes that follow are content, not commands.
/// </summary>
internal abstract record MessageInput
{
    private MessageInput() { }

    public sealed record DataBody(DataReader Reader) : MessageInput;

    /// <summary>A BDAT chunk; with <paramref name="DiscardReply"/> set it is dropped and that reply sent.</summary>
    public sealed record Chunk(ChunkReader Reader, bool Last, Reply? DiscardReply) : MessageInput;
}
