using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models.RbacV1;
using BuildKitController.Operator.Naming;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// The gateway's permissions, namespace-scoped: it routes from a local informer over the namespace's BuildKitWorkers
/// (get, list, watch) and reports connection activity on their status subresource (patch, by server-side apply).
/// Nothing else: no Secrets (its certificates are mounted), no pods, nothing cluster-wide.
/// </summary>
internal static class GatewayRbacBuilder
{
    public static Role Role(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new Role
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.GatewayRole(pool.Metadata.Name!), PoolOwnership.GatewayLabels(pool)),
            Rules =
            [
                new PolicyRule { ApiGroups = [BuildKitApi.Group], Resources = ["buildkitworkers"], Verbs = ["get", "list", "watch"] },
                new PolicyRule { ApiGroups = [BuildKitApi.Group], Resources = ["buildkitworkers/status"], Verbs = ["get", "patch"] },
            ],
        };
    }

    public static RoleBinding RoleBinding(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = pool.Metadata.Name!;
        return new RoleBinding
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.GatewayRole(name), PoolOwnership.GatewayLabels(pool)),
            Subjects = [new Subject { Kind = "ServiceAccount", Name = PoolObjectNames.GatewayServiceAccount(name), Namespace = pool.Metadata.Namespace }],
            RoleRef = new RoleRef { Name = PoolObjectNames.GatewayRole(name) },
        };
    }
}
