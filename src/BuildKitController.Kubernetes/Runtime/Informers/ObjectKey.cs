using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>Identifies an object: namespace (empty for cluster-scoped) and name.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value.Metadata.Namespace ?? "", value.Metadata.Name ?? "");
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
