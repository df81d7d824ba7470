using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Tests.Api.V1Alpha1;

/// <summary>
/// Walks a CRD schema and a C# type (through its source-generated JSON metadata) in parallel and reports every
/// difference: properties on one side only, JSON types, and enum paths.
/// </summary>
internal sealed class SchemaDrift
{
    private readonly JsonSerializerOptions _options;

    private SchemaDrift(JsonSerializerOptions options) => _options = options;

    public List<string> Errors { get; } = [];

    /// <summary>Schema paths (<c>spec.scaling.mode</c>, <c>spec.auth.methods[].type</c>) with their enum values.</summary>
    public Dictionary<string, List<string>> Enums { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Paths where the schema is an untyped preserve-unknown-fields node and a custom converter reads the C# type
    /// (e.g. <c>spec.auth.methods[]</c>, a string or an object); their members are not compared.
    /// </summary>
    public List<string> Opaque { get; } = [];

    public static SchemaDrift Compare(JsonObject schema, JsonTypeInfo rootType)
    {
        var drift = new SchemaDrift(rootType.Options);
        drift.Walk(schema, rootType.Type, "", isRoot: true, underConverter: false);
        return drift;
    }

    private void Walk(JsonObject schema, Type type, string path, bool isRoot, bool underConverter)
    {
        var at = path.Length == 0 ? "<root>" : path;
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = (string?)schema["type"];
        var intOrString = (bool?)schema["x-kubernetes-int-or-string"] == true;
        var preserve = (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true;
        var format = (string?)schema["format"];
        if (schema["enum"] is JsonArray values)
        {
            Enums[path] = values.Select(v => (string)v!).ToList();
        }

        if (type == typeof(JsonElement))
        {
            Expect(preserve && schemaType is null or "object", at, "a JsonElement needs x-kubernetes-preserve-unknown-fields (type object or none)");
            return;
        }

        if (type == typeof(string))
        {
            Expect(schemaType == "string" || (intOrString && underConverter), at, $"C# string but schema type {Describe(schema)}");
            return;
        }

        if (type == typeof(int))
        {
            Expect(schemaType == "integer" && format == "int32", at, $"C# int but schema {Describe(schema)}");
            return;
        }

        if (type == typeof(long))
        {
            Expect(schemaType == "integer" && format == "int64", at, $"C# long but schema {Describe(schema)}");
            return;
        }

        if (type == typeof(bool))
        {
            Expect(schemaType == "boolean", at, $"C# bool but schema {Describe(schema)}");
            return;
        }

        if (type == typeof(DateTimeOffset))
        {
            Expect(schemaType == "string" && format == "date-time", at, $"C# DateTimeOffset but schema {Describe(schema)}");
            return;
        }

        if (type == typeof(IntOrString))
        {
            Expect(intOrString, at, $"C# IntOrString but schema {Describe(schema)}");
            return;
        }

        var info = _options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                if (Expect(schemaType == "array" && schema["items"] is JsonObject, at, $"C# list but schema {Describe(schema)}"))
                {
                    Walk((JsonObject)schema["items"]!, info.ElementType!, path + "[]", isRoot: false, underConverter);
                }

                break;
            case JsonTypeInfoKind.Dictionary:
                if (Expect(schemaType == "object" && schema["additionalProperties"] is JsonObject && schema["properties"] is null, at, $"C# map but schema {Describe(schema)}"))
                {
                    Expect(info.KeyType == typeof(string), at, "map keys must be strings");
                    Walk((JsonObject)schema["additionalProperties"]!, info.ElementType!, path + "[*]", isRoot: false, underConverter);
                }

                break;
            case JsonTypeInfoKind.Object:
                if (schemaType is null && preserve && schema["properties"] is null && underConverter)
                {
                    Opaque.Add(path);
                    break;
                }

                if (Expect(schemaType == "object", at, $"C# object {type.Name} but schema {Describe(schema)}"))
                {
                    WalkProperties(schema, info, path, isRoot, underConverter);
                }

                break;
            default:
                Errors.Add($"{at}: C# type {type.Name} has no JSON shape the drift test knows");
                break;
        }
    }

    private void WalkProperties(JsonObject schema, JsonTypeInfo info, string path, bool isRoot, bool underConverter)
    {
        var csharp = info.Properties.Where(p => !p.IsExtensionData).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var schemaProperties = schema["properties"] as JsonObject ?? [];
        foreach (var (name, child) in schemaProperties)
        {
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            if (!csharp.TryGetValue(name, out var property))
            {
                Errors.Add($"{childPath}: in the schema but not on C# {info.Type.Name}");
                continue;
            }

            if (isRoot && name == "metadata")
            {
                Expect((string?)child!["type"] == "object" && child.AsObject().Count == 1, childPath, "root metadata must be just {type: object}");
                continue;
            }

            Walk((JsonObject)child!, property.PropertyType, childPath, isRoot: false, underConverter || property.CustomConverter is not null);
        }

        foreach (var name in csharp.Keys.Where(name => !schemaProperties.ContainsKey(name)))
        {
            Errors.Add($"{(path.Length == 0 ? name : $"{path}.{name}")}: on C# {info.Type.Name} but not in the schema");
        }
    }

    private bool Expect(bool condition, string at, string message)
    {
        if (!condition)
        {
            Errors.Add($"{at}: {message}");
        }

        return condition;
    }

    private static string Describe(JsonObject schema) =>
        $"{{type: {(string?)schema["type"] ?? "none"}, format: {(string?)schema["format"] ?? "none"}}}";
}
