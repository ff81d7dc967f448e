using System.Buffers;
using System.Text;

namespace Gateway.Protocol.Replies;

/// <summary>Writes replies in wire form to a buffer, never to a socket.</summary>
public static class ReplyWriter
{
    /// <summary>RFC 5321 §4.2.1: every line but the last has a hyphen after the code.</summary>
    public static void Write(IBufferWriter<byte> output, Reply reply)
    {
        var code = (int)reply.Code;
        for (var i = 0; i < reply.Lines.Count; i++)
        {
            var separator = i == reply.Lines.Count - 1 ? ' ' : '-';
            var status = reply.Status is { } s ? $"{s} " : "";
            var line = $"{code}{separator}{status}{reply.Lines[i]}\r\n";
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length));
            output.Advance(Encoding.UTF8.GetBytes(line, span));
        }
    }

    public static byte[] ToBytes(Reply reply)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        Write(buffer, reply);
        return buffer.WrittenSpan.ToArray();
    }
}
