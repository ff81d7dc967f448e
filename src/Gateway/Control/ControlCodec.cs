using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Actors.Queue;

namespace Gateway.Control;

// Source-generated, as the spool's: no reflection, so the wire survives trimming and AOT.
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlAnswer))]
[JsonSerializable(typeof(QueueListing))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ControlJsonContext : JsonSerializerContext;

/// <summary>
/// The control socket's wire: one JSON object per line (UTF-8, ending in LF) each way. Decoding never throws on
/// bad input: it returns null, and the server answers <see cref="ControlAnswer.BadRequest"/>.
/// </summary>
internal static class ControlCodec
{
    public static byte[] Line(ControlRequest request) => WithLf(JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest));

    public static byte[] Line(ControlAnswer answer) => WithLf(JsonSerializer.SerializeToUtf8Bytes(answer, ControlJsonContext.Default.ControlAnswer));

    /// <summary>One listing as <c>gateway queue list --json</c> prints it: one object per line, as Postfix's <c>postqueue -j</c>.</summary>
    public static string Text(QueueListing listing) => JsonSerializer.Serialize(listing, ControlJsonContext.Default.QueueListing);

    public static string Text(ControlAnswer answer) => JsonSerializer.Serialize(answer, ControlJsonContext.Default.ControlAnswer);

    public static ControlRequest? Request(ReadOnlySpan<byte> line) => Decode(line, ControlJsonContext.Default.ControlRequest);

    public static ControlAnswer? Answer(ReadOnlySpan<byte> line) => Decode(line, ControlJsonContext.Default.ControlAnswer);

    private static T? Decode<T>(ReadOnlySpan<byte> line, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(line, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] WithLf(byte[] json)
    {
        // JSON escapes every control character inside strings, so the only LF on the wire is the one that ends the line.
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
