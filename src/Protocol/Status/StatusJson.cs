using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Protocol.Status;

/// <summary>
/// The status records as JSON, camelCase: the form a node's record is replicated in (a string the cluster's own
/// serializer carries), and the form <c>/api/status</c> answers in, which the status page's script and
/// <c>gateway status</c> read. Source-generated: no reflection on the publication path.
/// </summary>
public static class StatusJson
{
    public static string Write(NodeStatus status) => JsonSerializer.Serialize(status, StatusJsonContext.Default.NodeStatus);

    public static byte[] Write(ClusterStatus status) => JsonSerializer.SerializeToUtf8Bytes(status, StatusJsonContext.Default.ClusterStatus);

    /// <summary>Null when the text is not a record (a newer node's shape this one cannot read is skipped, not fatal).</summary>
    public static NodeStatus? ReadNode(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, StatusJsonContext.Default.NodeStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The cluster view; a <see cref="JsonException"/> names what is wrong when the text is not one.</summary>
    public static ClusterStatus ReadCluster(string json) =>
        JsonSerializer.Deserialize(json, StatusJsonContext.Default.ClusterStatus)
            ?? throw new JsonException("the status is null");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NodeStatus))]
[JsonSerializable(typeof(ClusterStatus))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
