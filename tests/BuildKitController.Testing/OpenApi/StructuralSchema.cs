using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildKitController.Testing.OpenApi;

/// <summary>
/// A CustomResourceDefinition <c>openAPIV3Schema</c> applied the way kube-apiserver applies it to custom resources:
/// <see cref="Prune"/> drops unknown fields, <see cref="ApplyDefaults"/> drops non-nullable nulls and fills
/// defaults, and <see cref="Validate"/> reports type, required, enum, range, length, pattern, format
/// (<c>date-time</c>), list-type and unknown-field errors. CEL rules (<c>x-kubernetes-validations</c>) are not
/// evaluated. At the root (and in embedded resources) <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> are left to
/// the caller.
/// </summary>
public sealed class StructuralSchema
{
    private static readonly string[] ObjectEnvelope = ["apiVersion", "kind", "metadata"];

    private readonly SchemaNode _root;

    private StructuralSchema(SchemaNode root) => _root = root;

    /// <summary>Parses an <c>openAPIV3Schema</c>.</summary>
    /// <exception cref="InvalidDataException">The schema is malformed.</exception>
    public static StructuralSchema Parse(JsonNode openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        return new StructuralSchema(SchemaNode.Parse(openApiV3Schema, "openAPIV3Schema"));
    }

    /// <summary>The schema of one version (the storage version when <paramref name="version"/> is null) of a CRD.</summary>
    public static StructuralSchema FromCustomResourceDefinition(JsonNode crd, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var versions = crd["spec"]?["versions"] as JsonArray ?? throw new InvalidDataException("CRD has no spec.versions");
        var selected = versions.FirstOrDefault(v => version is null ? (bool?)v?["storage"] == true : (string?)v?["name"] == version)
            ?? throw new InvalidDataException($"CRD has no version {version ?? "(storage)"}");
        var schema = selected["schema"]?["openAPIV3Schema"] ?? throw new InvalidDataException("CRD version has no schema.openAPIV3Schema");
        return Parse(schema);
    }

    /// <summary>Prunes, defaults and validates, as the API server does on create and update; returns the errors.</summary>
    public IReadOnlyList<string> Admit(JsonNode value)
    {
        Prune(value);
        ApplyDefaults(value);
        return Validate(value);
    }

    /// <summary>Errors of <paramref name="value"/> against the schema, each <c>path: message</c>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(JsonNode? value)
    {
        var errors = new List<string>();
        ValidateNode(_root, value, "", isRoot: true, inJunctor: false, errors);
        return errors;
    }

    /// <summary>
    /// Removes non-nullable nulls and fills schema defaults in place, recursively (a defaulted object gets its own
    /// nested defaults). Unknown fields are not touched.
    /// </summary>
    public void ApplyDefaults(JsonNode value)
    {
        ArgumentNullException.ThrowIfNull(value);
        DefaultNode(_root, value);
    }

    /// <summary>Removes, in place, every field the schema does not specify, except under preserve-unknown-fields.</summary>
    public void Prune(JsonNode value)
    {
        ArgumentNullException.ThrowIfNull(value);
        PruneNode(_root, value, isRoot: true);
    }

    private static void DefaultNode(SchemaNode schema, JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(pair => pair.Key).ToList())
                {
                    var child = ChildSchema(schema, key);
                    if (obj[key] is null && child is not null && !child.Nullable)
                    {
                        obj.Remove(key);
                    }
                }

                foreach (var (name, property) in schema.Properties)
                {
                    if (property.HasDefault && !obj.ContainsKey(name))
                    {
                        obj[name] = property.Default?.DeepClone();
                    }
                }

                foreach (var (key, child) in obj.ToList())
                {
                    if (child is not null && ChildSchema(schema, key) is { } childSchema)
                    {
                        DefaultNode(childSchema, child);
                    }
                }

                break;
            case JsonArray array when schema.Items is not null:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        DefaultNode(schema.Items, item);
                    }
                }

                break;
        }
    }

    private static void PruneNode(SchemaNode schema, JsonNode node, bool isRoot)
    {
        switch (node)
        {
            case JsonObject obj:
                var keepEnvelope = isRoot || schema.EmbeddedResource;
                foreach (var (key, child) in obj.ToList())
                {
                    if (keepEnvelope && ObjectEnvelope.Contains(key) && !schema.Properties.ContainsKey(key))
                    {
                        continue;
                    }

                    if (keepEnvelope && key == "metadata")
                    {
                        continue;
                    }

                    var childSchema = ChildSchema(schema, key);
                    if (childSchema is null)
                    {
                        if (!schema.PreserveUnknownFields && !schema.AllowsAdditionalProperties)
                        {
                            obj.Remove(key);
                        }

                        continue;
                    }

                    if (child is not null)
                    {
                        PruneNode(childSchema, child, isRoot: false);
                    }
                }

                break;
            case JsonArray array when schema.Items is not null:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        PruneNode(schema.Items, item, isRoot: false);
                    }
                }

                break;
        }
    }

    private static SchemaNode? ChildSchema(SchemaNode schema, string key) =>
        schema.Properties.TryGetValue(key, out var property) ? property : schema.AdditionalProperties;

    private static void ValidateNode(SchemaNode schema, JsonNode? value, string path, bool isRoot, bool inJunctor, List<string> errors)
    {
        var at = path.Length == 0 ? "<root>" : path;
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        if (kind == JsonValueKind.Null)
        {
            if (!schema.Nullable && (schema.Type is not null || schema.IntOrString))
            {
                errors.Add($"{at}: Invalid value: null: must be of type {(schema.IntOrString ? "integer or string" : schema.Type)}");
            }

            return;
        }

        if (!CheckType(schema, value!, kind, at, errors))
        {
            return;
        }

        if (schema.Enum is { } allowed && !allowed.Any(candidate => JsonNode.DeepEquals(candidate, value)))
        {
            errors.Add($"{at}: Unsupported value: {value!.ToJsonString()}: supported values: {string.Join(", ", allowed.Select(v => v?.ToJsonString() ?? "null"))}");
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(schema, obj, path, at, isRoot, inJunctor, errors);
                break;
            case JsonArray array:
                ValidateArray(schema, array, path, at, inJunctor, errors);
                break;
            case JsonValue scalar when kind == JsonValueKind.String:
                ValidateString(schema, scalar.GetValue<string>(), at, errors);
                break;
            case JsonValue scalar when kind == JsonValueKind.Number:
                ValidateNumber(schema, scalar, at, errors);
                break;
        }

        ValidateJunctors(schema, value!, path, at, errors);
    }

    private static bool CheckType(SchemaNode schema, JsonNode value, JsonValueKind kind, string at, List<string> errors)
    {
        if (schema.IntOrString)
        {
            if (kind == JsonValueKind.String || (kind == JsonValueKind.Number && IsInteger(value)))
            {
                return true;
            }

            errors.Add($"{at}: Invalid value: {value.ToJsonString()}: must be of type integer or string");
            return false;
        }

        var ok = schema.Type switch
        {
            null or "" => true,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "integer" => kind == JsonValueKind.Number && IsInteger(value),
            "number" => kind == JsonValueKind.Number,
            _ => false,
        };
        if (!ok)
        {
            errors.Add($"{at}: Invalid value: {Abbreviate(value)}: must be of type {schema.Type}");
        }

        return ok;
    }

    private static void ValidateObject(SchemaNode schema, JsonObject obj, string path, string at, bool isRoot, bool inJunctor, List<string> errors)
    {
        foreach (var name in schema.Required)
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add($"{Join(path, name)}: Required value");
            }
        }

        if (schema.MinProperties is { } minProperties && obj.Count < minProperties)
        {
            errors.Add($"{at}: Invalid value: must have at least {minProperties} properties");
        }

        if (schema.MaxProperties is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add($"{at}: Too many: {obj.Count}: must have at most {maxProperties} properties");
        }

        var keepEnvelope = isRoot || schema.EmbeddedResource;
        foreach (var (key, child) in obj)
        {
            var childPath = schema.Properties.ContainsKey(key) || schema.AdditionalProperties is null ? Join(path, key) : $"{(path.Length == 0 ? "" : path)}[{key}]";
            if (keepEnvelope && ObjectEnvelope.Contains(key) && !schema.Properties.ContainsKey(key))
            {
                continue;
            }

            if (keepEnvelope && key == "metadata")
            {
                if (child is not JsonObject)
                {
                    errors.Add($"{childPath}: Invalid value: {Abbreviate(child)}: must be of type object");
                }

                continue;
            }

            if (ChildSchema(schema, key) is { } childSchema)
            {
                ValidateNode(childSchema, child, childPath, isRoot: false, inJunctor, errors);
            }
            else if (!inJunctor && (schema.ForbidsAdditionalProperties || !(schema.PreserveUnknownFields || schema.AllowsAdditionalProperties)))
            {
                errors.Add($"{childPath}: Unknown field");
            }
        }
    }

    private static void ValidateArray(SchemaNode schema, JsonArray array, string path, string at, bool inJunctor, List<string> errors)
    {
        if (schema.MinItems is { } minItems && array.Count < minItems)
        {
            errors.Add($"{at}: Invalid value: {array.Count}: must have at least {minItems} items");
        }

        if (schema.MaxItems is { } maxItems && array.Count > maxItems)
        {
            errors.Add($"{at}: Too many: {array.Count}: must have at most {maxItems} items");
        }

        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                ValidateNode(items, array[i], $"{path}[{i}]", isRoot: false, inJunctor, errors);
            }
        }

        if (schema.ListType == "set")
        {
            for (var i = 0; i < array.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (JsonNode.DeepEquals(array[i], array[j]))
                    {
                        errors.Add($"{path}[{i}]: Duplicate value: {Abbreviate(array[i])}");
                        break;
                    }
                }
            }
        }
        else if (schema.ListType == "map" && schema.ListMapKeys.Count > 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                var key = string.Join("\u0000", schema.ListMapKeys.Select(k => array[i]?[k]?.ToJsonString() ?? "null"));
                if (!seen.Add(key))
                {
                    errors.Add($"{path}[{i}]: Duplicate value: map keys {string.Join(", ", schema.ListMapKeys)} repeat an earlier item");
                }
            }
        }
    }

    private static void ValidateString(SchemaNode schema, string text, string at, List<string> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (schema.MinLength is { } minLength && length < minLength)
        {
            errors.Add($"{at}: Invalid value: \"{text}\": should be at least {minLength} chars long");
        }

        if (schema.MaxLength is { } maxLength && length > maxLength)
        {
            errors.Add($"{at}: Too long: may not be more than {maxLength} chars");
        }

        if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            errors.Add($"{at}: Invalid value: \"{text}\": should match '{schema.PatternText}'");
        }

        if (schema.Format == "date-time" && !IsDateTime(text))
        {
            errors.Add($"{at}: Invalid value: \"{text}\": must be a date-time (RFC 3339)");
        }
    }

    private static void ValidateNumber(SchemaNode schema, JsonValue value, string at, List<string> errors)
    {
        if (!decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return;
        }

        if (schema.Minimum is { } minimum && (schema.ExclusiveMinimum ? number <= minimum : number < minimum))
        {
            errors.Add($"{at}: Invalid value: {value.ToJsonString()}: should be greater than {(schema.ExclusiveMinimum ? "" : "or equal to ")}{minimum}");
        }

        if (schema.Maximum is { } maximum && (schema.ExclusiveMaximum ? number >= maximum : number > maximum))
        {
            errors.Add($"{at}: Invalid value: {value.ToJsonString()}: should be less than {(schema.ExclusiveMaximum ? "" : "or equal to ")}{maximum}");
        }

        if (schema.MultipleOf is { } multipleOf && multipleOf != 0 && number % multipleOf != 0)
        {
            errors.Add($"{at}: Invalid value: {value.ToJsonString()}: should be a multiple of {multipleOf}");
        }
    }

    private static void ValidateJunctors(SchemaNode schema, JsonNode value, string path, string at, List<string> errors)
    {
        if (schema.AllOf.Count > 0)
        {
            foreach (var sub in schema.AllOf)
            {
                ValidateNode(sub, value, path, isRoot: false, inJunctor: true, errors);
            }
        }

        if (schema.AnyOf.Count > 0 && !schema.AnyOf.Any(sub => Passes(sub, value, path)))
        {
            errors.Add($"{at}: Invalid value: {Abbreviate(value)}: must match at least one schema in anyOf");
        }

        if (schema.OneOf.Count > 0)
        {
            var matches = schema.OneOf.Count(sub => Passes(sub, value, path));
            if (matches != 1)
            {
                errors.Add($"{at}: Invalid value: {Abbreviate(value)}: must match exactly one schema in oneOf, matched {matches}");
            }
        }

        if (schema.Not is { } not && Passes(not, value, path))
        {
            errors.Add($"{at}: Invalid value: {Abbreviate(value)}: must not match the schema in not");
        }
    }

    private static bool Passes(SchemaNode schema, JsonNode value, string path)
    {
        var errors = new List<string>();
        ValidateNode(schema, value, path, isRoot: false, inJunctor: true, errors);
        return errors.Count == 0;
    }

    private static bool IsInteger(JsonNode value) =>
        long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
        || System.Numerics.BigInteger.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static bool IsDateTime(string text) =>
        text.Length >= 20
        && text[10] is 'T' or 't'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
        && (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-');

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Abbreviate(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 80 ? text[..77] + "..." : text;
    }
}
