using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Json;

/// <summary>Small readers and writers over <see cref="JsonObject"/> used throughout the fake server.</summary>
internal static class JsonAccess
{
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static JsonObject? MetadataOrNull(this JsonObject obj) => obj["metadata"] as JsonObject;

    public static string? GetString(this JsonObject obj, string property) =>
        obj[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static string? MetaString(this JsonObject obj, string property) => obj.MetadataOrNull()?.GetString(property);

    public static string Name(this JsonObject obj) => obj.MetaString("name") ?? "";

    public static string Namespace(this JsonObject obj) => obj.MetaString("namespace") ?? "";

    public static string Uid(this JsonObject obj) => obj.MetaString("uid") ?? "";

    public static long ResourceVersion(this JsonObject obj) =>
        long.TryParse(obj.MetaString("resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    public static bool IsBeingDeleted(this JsonObject obj) => obj.MetaString("deletionTimestamp") is not null;

    public static IReadOnlyList<string> Finalizers(this JsonObject obj) => StringList(obj.MetadataOrNull()?["finalizers"]);

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj) => StringMap(obj.MetadataOrNull()?["labels"]);

    public static IReadOnlyList<string> StringList(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            return [];
        }

        var result = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                result.Add(value.GetValue<string>());
            }
        }

        return result;
    }

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        if (node is not JsonObject map)
        {
            return new Dictionary<string, string>();
        }

        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            result[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
        }

        return result;
    }

    public static void SetFinalizers(this JsonObject obj, IEnumerable<string> finalizers)
    {
        var array = new JsonArray();
        foreach (var finalizer in finalizers)
        {
            array.Add(finalizer);
        }

        if (array.Count == 0)
        {
            obj.Metadata().Remove("finalizers");
        }
        else
        {
            obj.Metadata()["finalizers"] = array;
        }
    }

    public static JsonObject CloneObject(this JsonObject obj) => (JsonObject)obj.DeepClone();

    /// <summary>Reads a dotted path (<c>spec.nodeName</c>) as a string the way field selectors see it.</summary>
    public static string? ReadPath(JsonObject obj, string dottedPath)
    {
        JsonNode? current = obj;
        foreach (var part in dottedPath.Split('.'))
        {
            current = current is JsonObject o ? o[part] : null;
            if (current is null)
            {
                return null;
            }
        }

        return current is JsonValue value
            ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()
            : null;
    }

    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
