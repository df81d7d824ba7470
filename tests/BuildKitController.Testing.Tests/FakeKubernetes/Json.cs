using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>Tiny JSON helpers for assertions.</summary>
internal static class Json
{
    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>Reads a dotted path (<c>metadata.name</c>, <c>items.0.metadata.name</c>) as text; null when missing.</summary>
    public static string? Read(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                JsonObject obj => obj[part],
                JsonArray array when int.TryParse(part, out var index) && index < array.Count => array[index],
                _ => null,
            };
        }

        return node switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => node.ToJsonString(),
        };
    }

    public static long Long(JsonNode? node, string path) => long.Parse(Read(node, path)!, System.Globalization.CultureInfo.InvariantCulture);
}
