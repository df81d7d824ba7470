using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Tests.Api.V1Alpha1;

/// <summary>Walks a deserialized object graph through its JSON metadata.</summary>
internal static class ObjectGraph
{
    /// <summary>Paths of every model whose <see cref="ExtensibleModel.ExtensionData"/> holds unknown fields.</summary>
    public static List<string> UnknownFields(object root, JsonSerializerOptions options)
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
