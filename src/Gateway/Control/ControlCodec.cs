using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Gateway.Actors.Queue;

namespace Gateway.Control;

// Source-generated, as the spool's: no reflection, so the wire survives trimming and AOT.
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlAnswer))]
[JsonSerializable(typeof(QueueListing))]
[JsonSerializable(typeof(MapView))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;

/// <summary>
/// The control socket's wire: one JSON object per line (UTF-8, ending in LF) each way. Decoding never throws on
/// bad input: it returns null, and the server answers <see cref="ControlAnswer.BadRequest"/>.
/// </summary>
internal static class ControlCodec
{
    // Not HTML-safe escaping (the default turns <, > and ' into \u003C …): an operator reads these lines, and jq
    // reads them the same either way. Control characters, LF included, are escaped all the same.
    private static readonly ControlJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static byte[] Line(ControlRequest request) => WithLf(JsonSerializer.SerializeToUtf8Bytes(request, Context.ControlRequest));

    public static byte[] Line(ControlAnswer answer) => WithLf(JsonSerializer.SerializeToUtf8Bytes(answer, Context.ControlAnswer));

    /// <summary>One listing as <c>gateway queue list --json</c> prints it: one object per line, as Postfix's <c>postqueue -j</c>.</summary>
    public static string Text(QueueListing listing) => JsonSerializer.Serialize(listing, Context.QueueListing);

    public static string Text(ControlAnswer answer) => JsonSerializer.Serialize(answer, Context.ControlAnswer);

    public static ControlRequest? Request(ReadOnlySpan<byte> line) => Decode(line, Context.ControlRequest);

    public static ControlAnswer? Answer(ReadOnlySpan<byte> line) => Decode(line, Context.ControlAnswer);

    private static T? Decode<T>(ReadOnlySpan<byte> line, JsonTypeInfo<T> type)
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
