using Gateway.Protocol.Framing;
using Gateway.Protocol.Replies;

namespace Gateway.Actors.Connection;

/// <summary>
/// How the next received bytes are read: as command lines, as the rest of an over-long line to
/// skip, as a DATA body, or as a BDAT chunk. Framing stops after DATA and BDAT because the bytes
/// that follow are content, not commands.
/// </summary>
internal abstract record InputMode
{
    private InputMode() { }

    public sealed record Commands : InputMode
    {
        public static readonly Commands Instance = new();
    }

    /// <summary>RFC 5321 §4.5.3.1.4: drop the rest of an over-long line, then answer 500 and go on.</summary>
    public sealed record SkipLine : InputMode
    {
        public static readonly SkipLine Instance = new();
    }

    public sealed record DataBody(DataReader Reader) : InputMode;

    /// <summary>A BDAT chunk; with <paramref name="DiscardReply"/> set it is dropped and that reply sent.</summary>
    public sealed record Chunk(ChunkReader Reader, bool Last, Reply? DiscardReply) : InputMode;
}
