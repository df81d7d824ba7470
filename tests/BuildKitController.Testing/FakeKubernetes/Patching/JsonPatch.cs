using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy and test.</summary>
internal static class JsonPatch
{
    /// <summary>Validates the document shape; throws <see cref="FormatException"/> (a 400 at the API).</summary>
    public static IReadOnlyList<JsonObject> Decode(JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new FormatException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        var result = new List<JsonObject>();
        foreach (var operation in operations)
        {
            result.Add(operation as JsonObject ?? throw new FormatException("json: cannot unmarshal into Go value of type jsonpatch.Operation"));
        }

        return result;
    }

    /// <summary>Applies the operations; throws <see cref="PatchException"/> when one fails (a 422 at the API).</summary>
    public static JsonNode Apply(JsonNode document, IReadOnlyList<JsonObject> operations)
    {
        var root = document.DeepClone();
        foreach (var operation in operations)
        {
            var op = (operation["op"] as JsonValue)?.ToString();
            var path = (operation["path"] as JsonValue)?.ToString() ?? throw new PatchException($"operation missing path: {operation.ToJsonString()}");
            switch (op)
            {
                case "add":
                    root = Add(root, path, Value(operation));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    root = Add(root, path, Value(operation));
                    break;
                case "move":
                    {
                        var from = From(operation);
                        var value = JsonPointer.Resolve(root, from)?.DeepClone() ?? throw Missing(from);
                        Remove(root, from);
                        root = Add(root, path, value);
                        break;
                    }

                case "copy":
                    {
                        var from = From(operation);
                        var value = JsonPointer.Resolve(root, from)?.DeepClone() ?? throw Missing(from);
                        root = Add(root, path, value);
                        break;
                    }

                case "test":
                    {
                        var actual = JsonPointer.Resolve(root, path);
                        if (!JsonNode.DeepEquals(actual, Value(operation)))
                        {
                            throw new PatchException($"testing value {path} failed: test failed");
                        }

                        break;
                    }

                default:
                    throw new PatchException($"Unexpected kind: {op}");
            }
        }

        return root;
    }

    private static JsonNode? Value(JsonObject operation)
    {
        if (!operation.TryGetPropertyValue("value", out var value))
        {
            throw new PatchException($"missing value for operation {operation["op"]}");
        }

        return value?.DeepClone();
    }

    private static string From(JsonObject operation) =>
        (operation["from"] as JsonValue)?.ToString() ?? throw new PatchException("operation missing from");

    private static PatchException Missing(string path) => new($"doc is missing path: \"{path}\": missing value");

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        var tokens = JsonPointer.Parse(path);
        if (tokens.Count == 0)
        {
            return value ?? throw new PatchException("cannot replace the document with null");
        }

        var parent = JsonPointer.ResolveParent(root, tokens, path);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array:
                array.Insert(JsonPointer.ArrayIndex(array, last, allowEnd: true, path), value);
                break;
            default:
                throw Missing(path);
        }

        return root;
    }

    private static void Remove(JsonNode root, string path)
    {
        var tokens = JsonPointer.Parse(path);
        if (tokens.Count == 0)
        {
            throw new PatchException("cannot remove the whole document");
        }

        var parent = JsonPointer.ResolveParent(root, tokens, path);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                break;
            case JsonArray array:
                array.RemoveAt(JsonPointer.ArrayIndex(array, last, allowEnd: false, path));
                break;
            default:
                throw new PatchException($"unable to remove nonexistent key: {last}: missing value");
        }
    }
}
