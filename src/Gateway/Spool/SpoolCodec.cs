using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;

namespace Gateway.Spool;

[JsonSerializable(typeof(Envelope))]
[JsonSerializable(typeof(QueueEntry))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;

/// <summary>
/// The stored form of one message: a format byte, the envelope's JSON length (4 bytes, big endian),
/// the envelope as JSON (readable with ldb when debugging), then the content bytes.
/// </summary>
internal static class SpoolCodec
{
    private const byte Format = 1;

    /// <summary>
    /// Everything before the content: format byte, JSON length, JSON. The content follows it as the
    /// segments it arrived in (SpoolWriter.Commit), never joined into one array here.
    /// </summary>
    public static byte[] Header(Envelope envelope)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(envelope, SpoolJsonContext.Default.Envelope);
        var header = new byte[5 + json.Length];
        header[0] = Format;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), json.Length);
        json.CopyTo(header, 5);
        return header;
    }

    public static (Envelope Envelope, ReadOnlyMemory<byte> Content) Decode(byte[] value)
    {
        if (value.Length < 5 || value[0] != Format)
        {
            throw new InvalidDataException($"spool record has unknown format {(value.Length > 0 ? value[0] : -1)}");
        }

        var jsonLength = BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1));
        var envelope = JsonSerializer.Deserialize(value.AsSpan(5, jsonLength), SpoolJsonContext.Default.Envelope)
            ?? throw new InvalidDataException("spool record has an empty envelope");
        return (envelope, value.AsMemory(5 + jsonLength));
    }

    /// <summary>A queue entry as stored: JSON alone (readable with ldb), rewritten whole after each attempt.</summary>
    public static ReadOnlyMemory<byte> Entry(QueueEntry entry) =>
        JsonSerializer.SerializeToUtf8Bytes(entry, SpoolJsonContext.Default.QueueEntry);

    public static QueueEntry DecodeEntry(byte[] value) =>
        JsonSerializer.Deserialize(value, SpoolJsonContext.Default.QueueEntry)
            ?? throw new InvalidDataException("spool queue entry is empty");
}
