using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Operator.Allocation;

/// <summary>
/// What the allocation service reads: pools, workers (indexed by pool and by token hash), the pools' CA Secrets
/// (label-scoped) and the root CA Secret.
/// </summary>
internal sealed record AllocationCaches(
    ObjectCache<BuildKitPool> Pools,
    ObjectCache<BuildKitWorker> Workers,
    ObjectCache<Secret> Secrets,
    ObjectCache<Secret> RootCa);
