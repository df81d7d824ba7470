namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>
/// The <c>patchMergeKey</c>/<c>listType</c> markers of the built-in Go types the product uses (PodSpec, Container,
/// ServiceSpec, ObjectMeta, conditions). Lists not listed here are atomic, as most built-in lists are.
/// </summary>
internal sealed class BuiltInListSemantics : IListSemanticsProvider
{
    public static BuiltInListSemantics Instance { get; } = new();

    private static readonly HashSet<string> ContainerLists = new(StringComparer.Ordinal) { "containers", "initContainers", "ephemeralContainers" };

    public ListSemantics Resolve(IReadOnlyList<string> fieldPath)
    {
        if (fieldPath.Count == 0)
        {
            return ListSemantics.Atomic;
        }

        var last = fieldPath[^1];
        var parent = fieldPath.Count > 1 ? fieldPath[^2] : null;
        if (parent == "metadata" && fieldPath.Count == 2)
        {
            return last switch
            {
                "ownerReferences" => ListSemantics.MapBy("uid"),
                "finalizers" => ListSemantics.PrimitiveSet,
                _ => ListSemantics.Atomic,
            };
        }

        return last switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "imagePullSecrets" or "resourceClaims" when parent == "spec" =>
                ListSemantics.MapBy("name"),
            "env" when parent is not null && ContainerLists.Contains(parent) => ListSemantics.MapBy("name"),
            "volumeMounts" when parent is not null && ContainerLists.Contains(parent) => ListSemantics.MapBy("mountPath"),
            "volumeDevices" when parent is not null && ContainerLists.Contains(parent) => ListSemantics.MapBy("devicePath"),
            "ports" when parent is not null && ContainerLists.Contains(parent) => ListSemantics.MapBy("containerPort", "containerPort", "protocol"),
            "ports" when fieldPath.Count == 2 && parent == "spec" => ListSemantics.MapBy("port", "port", "protocol"),
            "hostAliases" when parent == "spec" => ListSemantics.MapBy("ip"),
            "topologySpreadConstraints" when parent == "spec" => ListSemantics.MapBy("topologyKey", "topologyKey", "whenUnsatisfiable"),
            "conditions" when parent == "status" => ListSemantics.MapBy("type"),
            _ => ListSemantics.Atomic,
        };
    }
}
