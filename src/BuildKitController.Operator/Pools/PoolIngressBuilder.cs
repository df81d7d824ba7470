using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Operator.Naming;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// The optional Ingress <c>&lt;pool&gt;-ingress</c> (upstream §3.6): one rule for the hostname to Service
/// <c>&lt;pool&gt;</c> on the gateway port. BuildKit speaks mTLS end to end, so the ingress controller must pass
/// TLS through (for ingress-nginx: annotation <c>nginx.ingress.kubernetes.io/ssl-passthrough: "true"</c>, which the
/// user sets in <c>gateway.ingress.annotations</c>).
/// </summary>
internal static class PoolIngressBuilder
{
    public static Ingress Build(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var config = pool.Spec.Gateway?.Ingress ?? new IngressConfig();
        var name = pool.Metadata.Name!;
        var backend = new IngressBackend
        {
            Service = new IngressServiceBackend { Name = PoolObjectNames.Service(name), Port = new ServiceBackendPort { Number = GatewayServiceBuilder.Port(pool.Spec) } },
        };
        return new Ingress
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.Ingress(name), PoolOwnership.GatewayLabels(pool), config.Annotations),
            Spec = new IngressSpec
            {
                IngressClassName = config.IngressClassName,
                Rules = [new IngressRule { Host = config.Hostname, Http = new HttpIngressRuleValue { Paths = [new HttpIngressPath { Path = "/", PathType = "Prefix", Backend = backend }] } }],
                Tls = config.Tls is { Enabled: true } tls && config.Hostname is { } host ? [new IngressTls { Hosts = [host], SecretName = tls.SecretName }] : null,
            },
        };
    }
}
