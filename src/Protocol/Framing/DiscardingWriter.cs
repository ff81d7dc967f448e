using System.Buffers;

namespace Gateway.Protocol.Framing;

/// <summary>A sink that drops what is written: for BDAT chunks that must be read but not kept.</summary>
public sealed class DiscardingWriter : IBufferWriter<byte>
{
    public static readonly DiscardingWriter Instance = new();

    [ThreadStatic]
    private static byte[]? t_scratch;

    public void Advance(int count) { }

    public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

    private static byte[] Scratch(int sizeHint)
    {
        var size = Math.Max(sizeHint, 4096);
        if (t_scratch is null || t_scratch.Length < size)
        {
            t_scratch = new byte[size];
        }

        return t_scratch;
    }
}
