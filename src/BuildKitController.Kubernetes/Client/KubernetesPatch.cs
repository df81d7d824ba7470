using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildKitController.Kubernetes.Client;

/// <summary>A patch body and its format.</summary>
public sealed record KubernetesPatch(PatchType Type, ReadOnlyMemory<byte> Body)
{
    public static KubernetesPatch Merge(string json) => new(PatchType.MergePatch, Encoding.UTF8.GetBytes(json));

    public static KubernetesPatch Merge(JsonNode node) => new(PatchType.MergePatch, Serialize(node));

    public static KubernetesPatch Json(string json) => new(PatchType.JsonPatch, Encoding.UTF8.GetBytes(json));

    public static KubernetesPatch Json(JsonArray operations) => new(PatchType.JsonPatch, Serialize(operations));

    public static KubernetesPatch StrategicMerge(string json) => new(PatchType.StrategicMergePatch, Encoding.UTF8.GetBytes(json));

    public static KubernetesPatch StrategicMerge(JsonNode node) => new(PatchType.StrategicMergePatch, Serialize(node));

    private static byte[] Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
