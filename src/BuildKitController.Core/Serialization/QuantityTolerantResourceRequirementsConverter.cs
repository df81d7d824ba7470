using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Core.Serialization;

/// <summary>
/// Reads ResourceRequirements whose quantities may be JSON numbers (<c>cpu: 1</c> in a custom resource is stored as
/// the number 1, since the schema types quantities as int-or-string). Numbers become their decimal text.
/// </summary>
internal sealed class QuantityTolerantResourceRequirementsConverter : JsonConverter<ResourceRequirements>
{
    private static readonly string[] QuantityMaps = ["limits", "requests"];

    public override ResourceRequirements? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject node)
        {
            throw new JsonException("resource requirements must be an object");
        }

        foreach (var mapName in QuantityMaps)
        {
            if (node[mapName] is not JsonObject map)
            {
                continue;
            }

            foreach (var (name, quantity) in map.ToList())
            {
                if (quantity is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
                {
                    map[name] = value.ToJsonString();
                }
            }
        }

        return node.Deserialize(CoreJsonContext.Default.ResourceRequirements);
    }

    public override void Write(Utf8JsonWriter writer, ResourceRequirements value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, CoreJsonContext.Default.ResourceRequirements);
}
