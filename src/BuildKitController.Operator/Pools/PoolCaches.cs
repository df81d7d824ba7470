using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Kubernetes.Models.RbacV1;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// The informer caches the pool reconciler reads. All but the pools and workers are label-scoped to objects the
/// controller manages, so no foreign Secret is ever cached. <see cref="Ingresses"/> is null when Ingress is not an
/// allowed exposure (the controller may lack RBAC for it).
/// </summary>
internal sealed record PoolCaches(
    ObjectCache<BuildKitPool> Pools,
    ObjectCache<BuildKitWorker> Workers,
    ObjectCache<Secret> Secrets,
    ObjectCache<Secret> RootCa,
    ObjectCache<ConfigMap> ConfigMaps,
    ObjectCache<Deployment> Deployments,
    ObjectCache<Service> Services,
    ObjectCache<NetworkPolicy> NetworkPolicies,
    ObjectCache<PodDisruptionBudget> DisruptionBudgets,
    ObjectCache<ServiceAccount> ServiceAccounts,
    ObjectCache<Role> Roles,
    ObjectCache<RoleBinding> RoleBindings,
    ObjectCache<Ingress>? Ingresses)
{
    /// <summary>Index of <see cref="Workers"/> by <c>&lt;pool namespace&gt;/&lt;pool name&gt;</c>.</summary>
    public const string WorkersByPool = Informers.SharedInformers.WorkersByPool;
}
