using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>ObjectMeta validation of the real server (name, labels, annotations, finalizers, owner references).</summary>
internal static class MetadataValidation
{
    private const long MaxAnnotationBytes = 256 * 1024;

    public static List<FieldError> Validate(RegisteredResource resource, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var metadata = obj.Metadata();
        var name = obj.Name();
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            var nameErrors = resource.NameRule switch
            {
                NameRule.Label => NameValidation.Dns1123Label(name),
                NameRule.Dns1035Label => NameValidation.Dns1035Label(name),
                _ => NameValidation.Dns1123Subdomain(name),
            };
            errors.AddRange(nameErrors.Select(e => FieldError.Invalid("metadata.name", Quote(name), e)));
        }

        ValidateStringMap(metadata["labels"], "metadata.labels", errors, validateValues: true);
        ValidateStringMap(metadata["annotations"], "metadata.annotations", errors, validateValues: false);
        if (metadata["annotations"] is JsonObject annotations
            && annotations.Sum(a => a.Key.Length + (a.Value?.ToString().Length ?? 0)) > MaxAnnotationBytes)
        {
            errors.Add(new FieldError("FieldValueTooLong", "metadata.annotations", "Too long: must have at most 262144 bytes"));
        }

        if (metadata["finalizers"] is JsonArray finalizers)
        {
            for (var i = 0; i < finalizers.Count; i++)
            {
                var finalizer = finalizers[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
                errors.AddRange(NameValidation.QualifiedName(finalizer).Select(e => FieldError.Invalid($"metadata.finalizers[{i}]", Quote(finalizer), e)));
            }
        }

        if (metadata["ownerReferences"] is JsonArray owners)
        {
            for (var i = 0; i < owners.Count; i++)
            {
                var owner = owners[i] as JsonObject;
                foreach (var field in new[] { "apiVersion", "kind", "name", "uid" })
                {
                    if (owner?.GetString(field) is null or "")
                    {
                        errors.Add(FieldError.Invalid($"metadata.ownerReferences[{i}].{field}", "\"\"", $"{field} must not be empty"));
                    }
                }
            }

            if (owners.OfType<JsonObject>().Count(o => o["controller"]?.GetValueKind() == JsonValueKind.True) > 1)
            {
                errors.Add(FieldError.Invalid("metadata.ownerReferences", "[...]", "Only one reference can have Controller set to true"));
            }
        }

        return errors;
    }

    private static void ValidateStringMap(JsonNode? node, string field, List<FieldError> errors, bool validateValues)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject map)
        {
            errors.Add(FieldError.Invalid(field, node.ToJsonString(), "must be a map of strings"));
            return;
        }

        foreach (var (key, value) in map)
        {
            errors.AddRange(NameValidation.QualifiedName(key).Select(e => FieldError.Invalid(field, Quote(key), e)));
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(FieldError.Invalid($"{field}.{key}", value?.ToJsonString() ?? "null", "must be a string"));
                continue;
            }

            if (validateValues)
            {
                var text = v.GetValue<string>();
                errors.AddRange(NameValidation.LabelValue(text).Select(e => FieldError.Invalid(field, Quote(text), e)));
            }
        }
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, FakeJson.StringInfo);
}
