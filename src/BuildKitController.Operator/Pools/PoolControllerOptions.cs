using BuildKitController.Core.Api.V1Alpha1.Defaulting;

namespace BuildKitController.Operator.Pools;

/// <summary>How the pool controller is deployed and what it may create.</summary>
internal sealed record PoolControllerOptions
{
    /// <summary>Namespace of the controller and of the root CA Secret <c>buildkit-ca</c>.</summary>
    public string ControllerNamespace { get; init; } = "buildkit-system";

    /// <summary>Name of the root CA Secret (upstream: <c>buildkit-ca</c>).</summary>
    public string RootCaSecretName { get; init; } = "buildkit-ca";

    /// <summary>Cluster DNS domain used in certificate names.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>Where gateways reach the controller API (passed as <c>--controller-endpoint</c>).</summary>
    public string ControllerEndpoint { get; init; } = "http://buildkit-controller-api.buildkit-system.svc:8082";

    /// <summary>External exposure kinds pools may request: <c>ingress</c>, <c>gatewayapi</c> (upstream <c>ALLOWED_INGRESS_TYPES</c>).</summary>
    public IReadOnlySet<string> AllowedIngressTypes { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { IngressTypes.Ingress, IngressTypes.GatewayApi };

    /// <summary>Image defaults.</summary>
    public PoolDefaultingOptions Defaults { get; init; } = new();

    /// <summary>How long a worker may take to become ready before it is replaced (cluster autoscalers need minutes).</summary>
    public TimeSpan ProvisioningPatience { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Lifetime of the per-pool client and worker CAs.</summary>
    public TimeSpan PoolCaLifetime { get; init; } = TimeSpan.FromDays(3650);

    /// <summary>Lifetime of the root CA when the controller creates it.</summary>
    public TimeSpan RootCaLifetime { get; init; } = TimeSpan.FromDays(3650);

    /// <summary>
    /// Safety-net re-check of a healthy pool (controller-runtime's sync period). Everything time-driven (certificate
    /// renewal, scale-down delays, schedule windows, provisioning patience) arms its own timer, and every change
    /// arrives as a watch event, so this only guards against the unforeseen; a short period would make all pools of a
    /// converged cluster reconcile together every few minutes for nothing.
    /// </summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromHours(10);

    /// <summary>How long a created or deleted worker may stay unobserved by the cache before scaling acts again.</summary>
    public TimeSpan ExpectationTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>Values of <see cref="PoolControllerOptions.AllowedIngressTypes"/>.</summary>
internal static class IngressTypes
{
    public const string Ingress = "ingress";
    public const string GatewayApi = "gatewayapi";
}
