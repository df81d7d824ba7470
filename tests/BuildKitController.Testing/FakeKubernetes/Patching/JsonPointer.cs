using System.Globalization;
using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>RFC 6901 JSON pointers as JSON patch uses them.</summary>
internal static class JsonPointer
{
    public static IReadOnlyList<string> Parse(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"invalid JSON pointer \"{pointer}\"");
        }

        return [.. pointer[1..].Split('/').Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    /// <summary>The container holding the last token; throws when a step is missing.</summary>
    public static JsonNode ResolveParent(JsonNode root, IReadOnlyList<string> tokens, string pointer)
    {
        var current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Step(current, tokens[i]) ?? throw new PatchException($"doc is missing path: \"{pointer}\": missing value");
        }

        return current;
    }

    public static JsonNode? Resolve(JsonNode root, string pointer)
    {
        JsonNode? current = root;
        foreach (var token in Parse(pointer))
        {
            current = current is null ? null : Step(current, token);
        }

        return current;
    }

    public static int ArrayIndex(JsonArray array, string token, bool allowEnd, string pointer)
    {
        if (allowEnd && token == "-")
        {
            return array.Count;
        }

        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > (allowEnd ? array.Count : array.Count - 1))
        {
            throw new PatchException($"unable to access invalid index: {token}: doc is missing path: \"{pointer}\"");
        }

        return index;
    }

    private static JsonNode? Step(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
        _ => null,
    };
}
