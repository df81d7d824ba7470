using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BuildKitController.Testing.OpenApi;

/// <summary>One node of an OpenAPI v3 (Kubernetes structural) schema, parsed once.</summary>
internal sealed class SchemaNode
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public string? Type { get; private init; }

    public string? Format { get; private init; }

    public Dictionary<string, SchemaNode> Properties { get; } = new(StringComparer.Ordinal);

    public SchemaNode? AdditionalProperties { get; private set; }

    /// <summary>True when <c>additionalProperties</c> is <c>true</c> or a schema.</summary>
    public bool AllowsAdditionalProperties { get; private set; }

    /// <summary>True when <c>additionalProperties: false</c> was written.</summary>
    public bool ForbidsAdditionalProperties { get; private set; }

    public SchemaNode? Items { get; private set; }

    public List<string> Required { get; } = [];

    public List<JsonNode?>? Enum { get; private set; }

    public decimal? Minimum { get; private init; }

    public decimal? Maximum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public decimal? MultipleOf { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public long? MinProperties { get; private init; }

    public long? MaxProperties { get; private init; }

    public Regex? Pattern { get; private init; }

    public string? PatternText { get; private init; }

    public bool Nullable { get; private init; }

    public bool HasDefault { get; private init; }

    public JsonNode? Default { get; private init; }

    public bool PreserveUnknownFields { get; private init; }

    public bool IntOrString { get; private init; }

    public bool EmbeddedResource { get; private init; }

    public string? ListType { get; private init; }

    public List<string> ListMapKeys { get; } = [];

    public List<SchemaNode> AnyOf { get; } = [];

    public List<SchemaNode> AllOf { get; } = [];

    public List<SchemaNode> OneOf { get; } = [];

    public SchemaNode? Not { get; private set; }

    public static SchemaNode Parse(JsonNode? node, string path)
    {
        if (node is not JsonObject obj)
        {
            throw new InvalidDataException($"{path}: a schema must be an object");
        }

        var pattern = (string?)obj["pattern"];
        var schema = new SchemaNode
        {
            Type = (string?)obj["type"],
            Format = (string?)obj["format"],
            Minimum = Number(obj["minimum"], path),
            Maximum = Number(obj["maximum"], path),
            ExclusiveMinimum = (bool?)obj["exclusiveMinimum"] ?? false,
            ExclusiveMaximum = (bool?)obj["exclusiveMaximum"] ?? false,
            MultipleOf = Number(obj["multipleOf"], path),
            MinLength = (long?)obj["minLength"],
            MaxLength = (long?)obj["maxLength"],
            MinItems = (long?)obj["minItems"],
            MaxItems = (long?)obj["maxItems"],
            MinProperties = (long?)obj["minProperties"],
            MaxProperties = (long?)obj["maxProperties"],
            PatternText = pattern,
            Pattern = pattern is null ? null : new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout),
            Nullable = (bool?)obj["nullable"] ?? false,
            HasDefault = obj.ContainsKey("default"),
            Default = obj["default"]?.DeepClone(),
            PreserveUnknownFields = (bool?)obj["x-kubernetes-preserve-unknown-fields"] ?? false,
            IntOrString = (bool?)obj["x-kubernetes-int-or-string"] ?? false,
            EmbeddedResource = (bool?)obj["x-kubernetes-embedded-resource"] ?? false,
            ListType = (string?)obj["x-kubernetes-list-type"],
        };

        if (obj["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                schema.Properties[name] = Parse(child, $"{path}.properties.{name}");
            }
        }

        switch (obj["additionalProperties"])
        {
            case JsonObject additional:
                schema.AdditionalProperties = Parse(additional, $"{path}.additionalProperties");
                schema.AllowsAdditionalProperties = true;
                break;
            case JsonValue flag when flag.GetValueKind() is JsonValueKind.True:
                schema.AllowsAdditionalProperties = true;
                break;
            case JsonValue flag when flag.GetValueKind() is JsonValueKind.False:
                schema.ForbidsAdditionalProperties = true;
                break;
        }

        if (obj["items"] is { } items)
        {
            schema.Items = Parse(items, $"{path}.items");
        }

        if (obj["required"] is JsonArray required)
        {
            schema.Required.AddRange(required.Select(item => (string?)item ?? throw new InvalidDataException($"{path}.required: entries must be strings")));
        }

        if (obj["enum"] is JsonArray values)
        {
            schema.Enum = values.Select(value => value?.DeepClone()).ToList();
        }

        if (obj["x-kubernetes-list-map-keys"] is JsonArray mapKeys)
        {
            schema.ListMapKeys.AddRange(mapKeys.Select(key => (string)key!));
        }

        AddAll(obj["anyOf"], schema.AnyOf, $"{path}.anyOf");
        AddAll(obj["allOf"], schema.AllOf, $"{path}.allOf");
        AddAll(obj["oneOf"], schema.OneOf, $"{path}.oneOf");
        if (obj["not"] is { } not)
        {
            schema.Not = Parse(not, $"{path}.not");
        }

        return schema;
    }

    private static void AddAll(JsonNode? node, List<SchemaNode> target, string path)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                target.Add(Parse(array[i], $"{path}[{i}]"));
            }
        }
    }

    private static decimal? Number(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        return decimal.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{path}: expected a number, got {node.ToJsonString()}");
    }
}
