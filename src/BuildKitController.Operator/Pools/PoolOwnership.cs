using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Operator.Naming;

namespace BuildKitController.Operator.Pools;

/// <summary>Metadata every object owned by a pool carries: contract labels and a controller owner reference.</summary>
internal static class PoolOwnership
{
    public static OwnerReference OwnerReference(BuildKitPool pool) => new()
    {
        ApiVersion = BuildKitApi.ApiVersion,
        Kind = "BuildKitPool",
        Name = pool.Metadata.Name ?? "",
        Uid = pool.Metadata.Uid ?? "",
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>Labels of pool infrastructure objects (Secrets, ConfigMap, policies).</summary>
    public static Dictionary<string, string> ComponentLabels(BuildKitPool pool, string component) => new(StringComparer.Ordinal)
    {
        [Labels.Name] = Labels.ManagerName,
        [Labels.Component] = component,
        [Labels.ManagedBy] = Labels.ManagerName,
        [Labels.Pool] = pool.Metadata.Name ?? "",
    };

    /// <summary>Labels of the gateway Deployment, its pods and Service (upstream §1.2; the selector uses all five).</summary>
    public static Dictionary<string, string> GatewayLabels(BuildKitPool pool) => new(StringComparer.Ordinal)
    {
        [Labels.Name] = "buildkit-gateway",
        [Labels.Instance] = pool.Metadata.Name ?? "",
        [Labels.ManagedBy] = Labels.ManagerName,
        [Labels.Pool] = pool.Metadata.Name ?? "",
        [Labels.Purpose] = "gateway",
    };

    public static ObjectMeta Metadata(BuildKitPool pool, string name, Dictionary<string, string> labels, Dictionary<string, string>? annotations = null) => new()
    {
        Name = name,
        Namespace = pool.Metadata.Namespace,
        Labels = labels,
        Annotations = annotations is { Count: > 0 } ? annotations : null,
        OwnerReferences = [OwnerReference(pool)],
    };

    /// <summary>Whether <paramref name="metadata"/> is controlled by <paramref name="pool"/> (so it is ours to delete).</summary>
    public static bool IsOwnedBy(ObjectMeta metadata, BuildKitPool pool) =>
        metadata.OwnerReferences?.Any(o => o.Uid == pool.Metadata.Uid && o.Kind == "BuildKitPool") == true;
}
