using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Json;

namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>
/// List semantics of a custom resource, read from its structural schema (<c>x-kubernetes-list-type</c>,
/// <c>x-kubernetes-list-map-keys</c>); lists without a marker are atomic. Metadata follows ObjectMeta.
/// </summary>
internal sealed class SchemaListSemantics(JsonObject? schema) : IListSemanticsProvider
{
    public ListSemantics Resolve(IReadOnlyList<string> fieldPath)
    {
        if (fieldPath.Count > 0 && fieldPath[0] == "metadata")
        {
            return BuiltInListSemantics.Instance.Resolve(fieldPath);
        }

        var node = schema;
        foreach (var name in fieldPath)
        {
            node = StepInto(node, name);
            if (node is null)
            {
                return ListSemantics.Atomic;
            }
        }

        if (node?.GetString("type") != "array")
        {
            return ListSemantics.Atomic;
        }

        return node.GetString("x-kubernetes-list-type") switch
        {
            "set" => ListSemantics.PrimitiveSet,
            "map" => new ListSemantics(ListType.Map, JsonAccess.StringList(node["x-kubernetes-list-map-keys"]), true, null),
            _ => ListSemantics.Atomic,
        };
    }

    private static JsonObject? StepInto(JsonObject? node, string name)
    {
        while (node?.GetString("type") == "array")
        {
            node = node["items"] as JsonObject;
        }

        if (node is null)
        {
            return null;
        }

        return node["properties"] is JsonObject properties && properties[name] is JsonObject property
            ? property
            : node["additionalProperties"] as JsonObject;
    }
}
