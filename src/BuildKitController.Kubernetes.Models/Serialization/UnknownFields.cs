using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
namespace BuildKitController.Kubernetes.Models.Serialization;

/// <summary>
/// Finds fields a model did not recognise (kept in <see cref="ExtensibleModel.ExtensionData"/>) by walking the
/// object graph through its source-generated JSON metadata: typos in manifests, or fields of a newer API version.
/// </summary>
public static class UnknownFields
{
    /// <summary>One entry per model holding unknown fields: <c>path: field, field</c>.</summary>
    public static IReadOnlyList<string> Find(object root, JsonSerializerOptions options)
    {
        var result = new List<string>();
        Visit(root, "", options, result);
        return result;
    }

    private static void Visit(object? value, string path, JsonSerializerOptions options, List<string> result)
    {
        if (value is null or string or JsonElement || value.GetType().IsPrimitive || value is DateTimeOffset or IntOrString)
        {
            return;
        }

        if (value is ExtensibleModel { ExtensionData.Count: > 0 } model)
        {
            result.Add($"{(path.Length == 0 ? "<root>" : path)}: {string.Join(", ", model.ExtensionData!.Keys)}");
        }

        var info = options.GetTypeInfo(value.GetType());
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties.Where(p => !p.IsExtensionData && p.Get is not null))
                {
                    Visit(property.Get!(value), path.Length == 0 ? property.Name : $"{path}.{property.Name}", options, result);
                }

                break;
            case JsonTypeInfoKind.Dictionary:
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    Visit(entry.Value, $"{path}[{entry.Key}]", options, result);
                }

                break;
            case JsonTypeInfoKind.Enumerable:
                var index = 0;
                foreach (var item in (IEnumerable)value)
                {
                    Visit(item, $"{path}[{index++}]", options, result);
                }

                break;
        }
    }
}
