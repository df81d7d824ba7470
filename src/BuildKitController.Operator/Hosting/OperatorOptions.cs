using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Hosting;

/// <summary>
/// Settings of the controller process, bound from command-line flags and the environment by
/// <see cref="Cli.RunCommand"/>. Defaults match upstream's controller.
/// </summary>
internal sealed record OperatorOptions
{
    /// <summary>Name of the leader election Lease (upstream's id).</summary>
    public const string DefaultLeaderElectionId = "buildkit-controller.smrt-devops.net";

    /// <summary>Namespace of the controller when neither a flag nor the environment names one.</summary>
    public const string DefaultNamespace = "buildkit-system";

    /// <summary><c>--metrics-bind-address</c>: where <c>/metrics</c> is served.</summary>
    public BindAddress MetricsBindAddress { get; init; } = new("", 8080);

    /// <summary><c>--health-probe-bind-address</c>: where <c>/healthz</c> and <c>/readyz</c> are served.</summary>
    public BindAddress HealthProbeBindAddress { get; init; } = new("", 8081);

    /// <summary><c>--api-bind-address</c>: the allocation API (served by a later component).</summary>
    public BindAddress ApiBindAddress { get; init; } = new("", 8082);

    /// <summary><c>--leader-elect</c>: run controllers only while holding the Lease.</summary>
    public bool LeaderElect { get; init; }

    /// <summary>Lease name.</summary>
    public string LeaderElectionId { get; init; } = DefaultLeaderElectionId;

    /// <summary><c>--leader-election-namespace</c>: namespace of the Lease (default: <see cref="Namespace"/>).</summary>
    public string LeaderElectionNamespace { get; init; } = DefaultNamespace;

    /// <summary>This instance's holder identity: <c>POD_NAME</c> (else the host name) plus a random suffix.</summary>
    public string LeaderElectionIdentity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary><c>--leader-elect-lease-duration</c>.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>--leader-elect-renew-deadline</c>.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--leader-elect-retry-period</c>.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The controller's own namespace (<c>--namespace</c>, <c>CONTROLLER_NAMESPACE</c>, <c>POD_NAMESPACE</c>).</summary>
    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary><c>--watch-namespace</c>: the only namespace whose pools and workers are reconciled; null for all.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary><c>--kubeconfig</c>; null: <c>KUBECONFIG</c>, in-cluster, then <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary><c>--max-concurrent-reconciles</c>, per controller.</summary>
    public int MaxConcurrentReconciles { get; init; } = 4;

    /// <summary><c>--kube-api-qps</c>: sustained request rate of the controllers' Kubernetes client (reconcilers, informers, leader election).</summary>
    public double KubeApiQps { get; init; } = 50;

    /// <summary><c>--kube-api-burst</c>: requests the controllers' client may send at once after a quiet period.</summary>
    public int KubeApiBurst { get; init; } = 100;

    /// <summary>
    /// <c>--api-kube-api-qps</c>: request rate of the allocation API's own Kubernetes client (claims, releases, token and
    /// access reviews). A separate budget, so callers never queue behind a controller backlog and a burst of
    /// allocations never starves the reconcilers.
    /// </summary>
    public double ApiKubeApiQps { get; init; } = 300;

    /// <summary><c>--api-kube-api-burst</c>.</summary>
    public int ApiKubeApiBurst { get; init; } = 600;

    /// <summary><c>--graceful-shutdown-timeout</c>: how long stopping controllers may take before the process exits anyway.</summary>
    public TimeSpan GracefulShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>GATEWAY_IMAGE</c>: gateway image for pools that do not name one.</summary>
    public string GatewayImage { get; init; } = PoolDefaults.GatewayImage;

    /// <summary><c>ALLOWED_INGRESS_TYPES</c>: <see cref="IngressTypes.Ingress"/> and/or <see cref="IngressTypes.GatewayApi"/> (empty means both).</summary>
    public IReadOnlySet<string> AllowedIngressTypes { get; init; } = AllIngressTypes;

    /// <summary>Every exposure kind (the default).</summary>
    public static IReadOnlySet<string> AllIngressTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { IngressTypes.Ingress, IngressTypes.GatewayApi };

    /// <summary><c>CERT_DEFAULT_CLIENT_DURATION</c>: lifetime of client certificates.</summary>
    public TimeSpan CertificateClientDuration { get; init; } = TimeSpan.FromHours(8760);

    /// <summary><c>CERT_DEFAULT_SERVER_DURATION</c>: lifetime of server certificates.</summary>
    public TimeSpan CertificateServerDuration { get; init; } = TimeSpan.FromHours(8760);

    /// <summary><c>LOG_LEVEL</c>.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>LOG_FORMAT</c>.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>Deployment-dependent pool defaults derived from these options.</summary>
    public PoolDefaultingOptions PoolDefaulting => new() { GatewayImage = GatewayImage };

    /// <summary>PEM certificate and key of the allocation API (plain HTTP when null).</summary>
    public string? ApiTlsCertFile { get; init; }

    public string? ApiTlsKeyFile { get; init; }

    /// <summary>Identities that may do everything in the API.</summary>
    public IReadOnlyList<string> AdminUsers { get; init; } = [];

    /// <summary>Kubernetes groups whose members are API admins.</summary>
    public IReadOnlyList<string> AdminGroups { get; init; } = ["system:masters"];

    /// <summary>Audiences ServiceAccount tokens must carry (TokenReview).</summary>
    public IReadOnlyList<string> TokenReviewAudiences { get; init; } = [];

    /// <summary>Trust BuildKitOIDCConfigs from every namespace (default: the controller namespace only).</summary>
    public bool TrustOidcConfigsFromAllNamespaces { get; init; }

    /// <summary>Authorize API callers with SubjectAccessReviews too.</summary>
    public bool UseSubjectAccessReview { get; init; }

    /// <summary>Every API request is the admin <c>dev-user</c>. Never in production.</summary>
    public bool InsecureDevMode { get; init; }
}
