using System.Buffers;

namespace Gateway.Protocol.Mail;

/// <summary>
/// The bytes of one message as it arrives: a list of segments that grow from 4 KiB to 64 KiB, so
/// a small message costs little and a large one never needs one contiguous (LOH) array.
/// </summary>
public sealed class MessageContent : IBufferWriter<byte>
{
    private const int FirstSegment = 4096;
    private const int LargestSegment = 65536;

    private readonly List<byte[]> _full = [];
    private readonly List<int> _fullLengths = [];
    private byte[] _current = [];
    private int _used;

    public long Length { get; private set; }

    public void Advance(int count)
    {
        _used += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsSpan(_used);
    }

    /// <summary>The content so far, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Segments()
    {
        var result = new List<ReadOnlyMemory<byte>>(_full.Count + 1);
        for (var i = 0; i < _full.Count; i++)
        {
            result.Add(_full[i].AsMemory(0, _fullLengths[i]));
        }

        if (_used > 0)
        {
            result.Add(_current.AsMemory(0, _used));
        }

        return result;
    }

    private void Ensure(int sizeHint)
    {
        var need = Math.Max(sizeHint, 1);
        if (_current.Length - _used >= need)
        {
            return;
        }

        if (_used > 0)
        {
            _full.Add(_current);
            _fullLengths.Add(_used);
        }

        var size = _current.Length == 0 ? FirstSegment : Math.Min(_current.Length * 2, LargestSegment);
        _current = new byte[Math.Max(size, need)];
        _used = 0;
    }
}
