using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>
/// Field paths as managedFields encode them: elements <c>f:name</c>, <c>k:{"key":value}</c>, <c>v:value</c>,
/// <c>i:index</c>, joined into one string with NUL so sets of paths are plain string sets.
/// </summary>
internal static class FieldPath
{
    public const char Separator = '\0';

    public static string Join(string parent, string element) => parent.Length == 0 ? element : $"{parent}{Separator}{element}";

    public static string[] Elements(string path) => path.Length == 0 ? [] : path.Split(Separator);

    public static bool IsDescendant(string candidate, string ancestor) =>
        candidate.Length > ancestor.Length && candidate.StartsWith(ancestor, StringComparison.Ordinal) && candidate[ancestor.Length] == Separator;

    public static string Field(string name) => $"f:{name}";

    public static string Value(JsonNode? value) => $"v:{Canonical(value)}";

    public static string Index(int index) => $"i:{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The <c>k:</c> element of an associative-list item, or null when a key without default is missing.</summary>
    public static string? Key(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var name in keys.Order(StringComparer.Ordinal))
        {
            var value = item[name]?.DeepClone();
            if (value is null)
            {
                if (Patching.ListSemantics.DefaultKeyValue(name) is not { } fallback)
                {
                    return null;
                }

                value = fallback;
            }

            key[name] = value;
        }

        return $"k:{Canonical(key)}";
    }

    /// <summary>The path the way conflict messages print it: <c>.spec.containers[name="app"].image</c>.</summary>
    public static string Display(string path)
    {
        var builder = new StringBuilder();
        foreach (var element in Elements(path))
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    builder.Append('.').Append(body);
                    break;
                case 'k':
                    var key = JsonNode.Parse(body)!.AsObject();
                    builder.Append('[').AppendJoin(",", key.Select(p => $"{p.Key}={Canonical(p.Value)}")).Append(']');
                    break;
                case 'v':
                    builder.Append("[=").Append(body).Append(']');
                    break;
                default:
                    builder.Append('[').Append(body).Append(']');
                    break;
            }
        }

        return builder.ToString();
    }

    private static string Canonical(JsonNode? value) =>
        value?.ToJsonString(CanonicalOptions) ?? "null";

    private static readonly JsonSerializerOptions CanonicalOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
