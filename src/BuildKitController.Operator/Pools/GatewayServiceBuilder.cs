using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Operator.Naming;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// The gateway Service, named after the pool (upstream §3.6): type from <c>gateway.serviceType</c> (else
/// <c>networking.serviceType</c>), port from <c>gateway.port</c> (else <c>networking.port</c>, 1235) to target 1235,
/// optional node port and load-balancer class, annotations from <c>networking.annotations</c> (plus
/// <c>networking.external.annotations</c> when external access is on), and <c>networking.allowedCIDRs</c> as load
/// balancer source ranges. Unlike upstream, the metrics port is published only on ClusterIP Services, never on a
/// node port or load balancer.
/// </summary>
internal static class GatewayServiceBuilder
{
    public static Service Build(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var spec = pool.Spec;
        var type = ServiceType(spec);
        var annotations = new Dictionary<string, string>(spec.Networking?.Annotations ?? [], StringComparer.Ordinal);
        if (spec.Networking?.External is { Enabled: true, Annotations: { } external })
        {
            foreach (var (key, value) in external)
            {
                annotations[key] = value;
            }
        }

        var ports = new List<ServicePort>
        {
            new()
            {
                Name = "gateway",
                Protocol = "TCP",
                Port = Port(spec),
                TargetPort = "gateway",
                NodePort = type is ServiceTypes.NodePort or ServiceTypes.LoadBalancer ? spec.Gateway?.NodePort : null,
            },
        };
        if (type == ServiceTypes.ClusterIP && spec.Observability?.Metrics?.Enabled != false)
        {
            ports.Add(new ServicePort { Name = "metrics", Protocol = "TCP", Port = spec.Observability?.Metrics?.Port ?? PoolDefaults.MetricsPort, TargetPort = "metrics" });
        }

        var labels = PoolOwnership.GatewayLabels(pool);
        return new Service
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.Service(pool.Metadata.Name!), labels, annotations),
            Spec = new ServiceSpec
            {
                Type = type,
                Selector = new(StringComparer.Ordinal) { [Labels.Pool] = pool.Metadata.Name!, [Labels.Purpose] = "gateway" },
                Ports = ports,
                LoadBalancerClass = type == ServiceTypes.LoadBalancer ? spec.Gateway?.LoadBalancerClass : null,
                LoadBalancerSourceRanges = type == ServiceTypes.LoadBalancer && spec.Networking?.AllowedCidrs is { Count: > 0 } cidrs ? cidrs : null,
            },
        };
    }

    public static string ServiceType(BuildKitPoolSpec spec) =>
        spec.Gateway?.ServiceType ?? spec.Networking?.ServiceType ?? PoolDefaults.ServiceType;

    public static int Port(BuildKitPoolSpec spec) =>
        spec.Gateway?.Port ?? spec.Networking?.Port ?? PoolDefaults.GatewayPort;
}
