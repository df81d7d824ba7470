using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Operator.Naming;
using BuildKitController.Operator.Workers;

namespace BuildKitController.Operator.Pools;

/// <summary>NetworkPolicies and the gateway PodDisruptionBudget of a pool.</summary>
internal static class PoolPolicyBuilder
{
    /// <summary>Workers accept traffic on their BuildKit port only from their own pool's gateway pods.</summary>
    public static NetworkPolicy WorkerIngress(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = pool.Metadata.Name!;
        return new NetworkPolicy
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.WorkerNetworkPolicy(name), PoolOwnership.ComponentLabels(pool, "worker-network-policy")),
            Spec = new NetworkPolicySpec
            {
                PodSelector = new LabelSelector { MatchLabels = new() { [Labels.Pool] = name, [Labels.Purpose] = "worker" } },
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new NetworkPolicyIngressRule
                    {
                        From = [new NetworkPolicyPeer { PodSelector = new LabelSelector { MatchLabels = new() { [Labels.Pool] = name, [Labels.Purpose] = "gateway" } } }],
                        Ports = [new NetworkPolicyPort { Protocol = "TCP", Port = WorkerPodBuilder.Port }],
                    },
                ],
            },
        };
    }

    /// <summary>
    /// With <c>networking.allowedCIDRs</c>, the gateway listener accepts clients only from those blocks (and from
    /// pods of its namespace); the metrics port stays reachable for scraping. Null when no CIDRs are set.
    /// </summary>
    public static NetworkPolicy? GatewayIngress(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Spec.Networking?.AllowedCidrs is not { Count: > 0 } cidrs)
        {
            return null;
        }

        var name = pool.Metadata.Name!;
        return new NetworkPolicy
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.GatewayNetworkPolicy(name), PoolOwnership.ComponentLabels(pool, "gateway-network-policy")),
            Spec = new NetworkPolicySpec
            {
                PodSelector = new LabelSelector { MatchLabels = new() { [Labels.Pool] = name, [Labels.Purpose] = "gateway" } },
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new NetworkPolicyIngressRule
                    {
                        From = [.. cidrs.Select(c => new NetworkPolicyPeer { IpBlock = new IpBlock { Cidr = c } }), new NetworkPolicyPeer { PodSelector = new LabelSelector() }],
                        Ports = [new NetworkPolicyPort { Protocol = "TCP", Port = GatewayDeploymentBuilder.ListenPort }],
                    },
                    new NetworkPolicyIngressRule
                    {
                        Ports = [new NetworkPolicyPort { Protocol = "TCP", Port = pool.Spec.Observability?.Metrics?.Port ?? PoolDefaults.MetricsPort }],
                    },
                ],
            },
        };
    }

    /// <summary>At most one gateway pod voluntarily disrupted at a time (never blocks draining a single replica).</summary>
    public static PodDisruptionBudget GatewayDisruptionBudget(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new PodDisruptionBudget
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.GatewayDisruptionBudget(pool.Metadata.Name!), PoolOwnership.GatewayLabels(pool)),
            Spec = new PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = new LabelSelector { MatchLabels = PoolOwnership.GatewayLabels(pool) },
            },
        };
    }
}
