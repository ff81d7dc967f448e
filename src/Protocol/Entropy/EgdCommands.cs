using System.Buffers.Binary;
using System.Text;

namespace Gateway.Protocol.Entropy;

/// <summary>
/// The other EGD commands of SPEC R76, for health checks and tests: the entropy level, adding entropy, the
/// daemon's PID. Seeding itself needs only <see cref="EgdReply.ReadRequest"/>.
/// </summary>
public static class EgdCommands
{
    /// <summary><c>00</c>: the number of entropy bits the daemon holds (reply: 4 bytes, big-endian).</summary>
    public static ReadOnlyMemory<byte> EntropyLevelRequest { get; } = new byte[] { 0x00 };

    /// <summary><c>04</c>: the daemon's PID (reply: a count byte, then that many ASCII digits).</summary>
    public static ReadOnlyMemory<byte> PidRequest { get; } = new byte[] { 0x04 };

    /// <summary>The bits announced by a 4-byte level reply.</summary>
    public static uint EntropyLevel(ReadOnlySpan<byte> reply) =>
        reply.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(reply) : throw new FormatException($"an entropy level reply is 4 bytes, not {reply.Length}");

    /// <summary><c>03 HH LL NN data</c>: add <paramref name="data"/> (at most 255 bytes) with an estimate of its entropy in bits.</summary>
    public static byte[] AddEntropy(ushort bits, ReadOnlySpan<byte> data)
    {
        if (data.Length is 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data.Length, "EGD adds 1 to 255 bytes at a time");
        }

        var request = new byte[4 + data.Length];
        request[0] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(1), bits);
        request[3] = (byte)data.Length;
        data.CopyTo(request.AsSpan(4));
        return request;
    }

    /// <summary>The PID in a complete PID reply (count byte, digits).</summary>
    public static string Pid(ReadOnlySpan<byte> reply) =>
        reply.Length >= 1 && reply.Length == 1 + reply[0] && reply[1..].ToArray().All(b => char.IsAsciiDigit((char)b))
            ? Encoding.ASCII.GetString(reply[1..])
            : throw new FormatException("a PID reply is a count byte followed by that many ASCII digits");
}
