using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.ApiExtensionsV1;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Registry;

/// <summary>Turns an apiextensions.k8s.io/v1 CustomResourceDefinition into the resources it serves.</summary>
internal static class CustomResourceDefinitionReader
{
    /// <summary>Validates the definition like the real server does for the fields the fake relies on.</summary>
    public static IReadOnlyList<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject;
        var group = spec?.GetString("group") ?? "";
        var names = spec?["names"] as JsonObject;
        var plural = names?.GetString("plural") ?? "";
        if (group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group", ""));
        }

        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural", ""));
        }

        if (names?.GetString("kind") is null or "")
        {
            errors.Add(FieldError.Required("spec.names.kind", ""));
        }

        var scope = spec?.GetString("scope");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(scope is null
                ? FieldError.Required("spec.scope", "")
                : new FieldError("FieldValueNotSupported", "spec.scope", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        var name = crd.Name();
        if (group.Length > 0 && plural.Length > 0 && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", $"\"{name}\"", "must be spec.names.plural+\".\"+spec.group"));
        }

        if (spec?["versions"] is not JsonArray { Count: > 0 } versions)
        {
            errors.Add(FieldError.Invalid("spec.versions", "null", "must have exactly one version marked as storage version"));
        }
        else if (versions.OfType<JsonObject>().Count(v => v["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True) != 1)
        {
            errors.Add(FieldError.Invalid("spec.storeVersions", "[]", "must have exactly one version marked as storage version"));
        }

        return errors;
    }

    /// <summary>One registration per served version.</summary>
    public static IReadOnlyList<RegisteredResource> Read(JsonObject crd)
    {
        var spec = (JsonObject)crd["spec"]!;
        var group = spec.GetString("group")!;
        var names = (JsonObject)spec["names"]!;
        var plural = names.GetString("plural")!;
        var kind = names.GetString("kind")!;
        var singular = names.GetString("singular") ?? kind.ToLowerInvariant();
        var namespaced = spec.GetString("scope") == "Namespaced";
        var result = new List<RegisteredResource>();
        foreach (var version in ((JsonArray)spec["versions"]!).OfType<JsonObject>())
        {
            if (version["served"]?.GetValueKind() == System.Text.Json.JsonValueKind.False)
            {
                continue;
            }

            var schema = (version["schema"] as JsonObject)?["openAPIV3Schema"] as JsonObject;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (version["selectableFields"] is JsonArray selectable)
            {
                foreach (var field in selectable.OfType<JsonObject>())
                {
                    if (field.GetString("jsonPath") is { Length: > 1 } path)
                    {
                        fields[path.TrimStart('.')] = path.TrimStart('.');
                    }
                }
            }

            result.Add(new RegisteredResource
            {
                Type = new ResourceType(group, version.GetString("name")!, plural, kind, namespaced),
                Singular = singular,
                ShortNames = JsonAccess.StringList(names["shortNames"]),
                HasStatus = (version["subresources"] as JsonObject)?["status"] is JsonObject,
                IsCustom = true,
                SelectableFields = fields,
                ListSemantics = new SchemaListSemantics((JsonObject?)schema?.DeepClone()),
                Schema = (JsonObject?)schema?.DeepClone(),
                DefinitionName = crd.Name(),
            });
        }

        return result;
    }

    /// <summary>The status the real apiextensions controllers give an accepted definition.</summary>
    public static JsonObject AcceptedStatus(JsonObject crd, DateTimeOffset now)
    {
        var spec = (JsonObject)crd["spec"]!;
        var storage = ((JsonArray)spec["versions"]!).OfType<JsonObject>()
            .First(v => v["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True).GetString("name");
        var time = KubeTime.Format(now);
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time)),
            ["acceptedNames"] = spec["names"]!.DeepClone(),
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    public static bool IsDefinition(RegisteredResource resource) =>
        resource.Type.Group == CustomResourceDefinition.Resource.Group && resource.Type.Plural == CustomResourceDefinition.Resource.Plural;

    private static JsonObject Condition(string type, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = ConditionStatus.True,
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };
}
