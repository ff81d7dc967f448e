using System.Buffers;
using Akka.IO;

namespace Gateway.Actors.Connection;

/// <summary>
/// Bytes received but not yet consumed. Pull mode bounds it: the connection asks for the next
/// chunk only after it has consumed what it could, so it holds at most one partial line or
/// partial content run plus one chunk.
/// </summary>
internal sealed class InputBuffer
{
    private byte[] _bytes = new byte[1024];
    private int _start;
    private int _end;

    public int Length => _end - _start;

    public ReadOnlySequence<byte> Unconsumed => new(_bytes, _start, _end - _start);

    public void Append(ByteString data)
    {
        if (_bytes.Length - _end < data.Count)
        {
            Compact(data.Count);
        }

        data.CopyTo(_bytes, _end, data.Count);
        _end += data.Count;
    }

    /// <summary>Decrypted bytes from the TLS engine.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_bytes.Length - _end < data.Length)
        {
            Compact(data.Length);
        }

        data.CopyTo(_bytes.AsSpan(_end));
        _end += data.Length;
    }

    public void Consume(long count)
    {
        _start += (int)count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Drops everything, e.g. plaintext pipelined behind STARTTLS (RFC 3207 §4.2).</summary>
    public int Clear()
    {
        var dropped = Length;
        _start = _end = 0;
        return dropped;
    }

    private void Compact(int extra)
    {
        var length = Length;
        var target = _bytes;
        if (_bytes.Length < length + extra)
        {
            target = new byte[Math.Max(_bytes.Length * 2, length + extra)];
        }

        Array.Copy(_bytes, _start, target, 0, length);
        _bytes = target;
        _start = 0;
        _end = length;
    }
}
