using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Operator.Naming;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// The gateway Deployment <c>&lt;pool&gt;-gateway</c> (upstream §3.6, hardened): non-root, read-only root file
/// system, no capabilities, RuntimeDefault seccomp; probes on the dedicated HTTP health endpoint of the metrics port
/// (so they are not counted as failed TLS handshakes); spread across nodes when replicated; and a certificate
/// fingerprint annotation on the pod template, so a rotated certificate rolls the gateway.
/// </summary>
internal static class GatewayDeploymentBuilder
{
    public const string ContainerName = "gateway";
    public const int ListenPort = PoolDefaults.GatewayPort;
    public const string CertificateFingerprintAnnotation = "buildkit.smrt-devops.net/certificate-fingerprint";

    public static Deployment Build(BuildKitPool pool, PoolControllerOptions options, string certificateFingerprint)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options);
        var name = pool.Metadata.Name!;
        var spec = pool.Spec;
        var labels = PoolOwnership.GatewayLabels(pool);
        var metricsPort = spec.Observability?.Metrics?.Port ?? PoolDefaults.MetricsPort;
        var logging = spec.Observability?.Logging;
        var replicas = spec.Gateway?.Replicas ?? PoolDefaults.GatewayReplicas;

        var args = new List<string>
        {
            "--pool-name", name,
            "--pool-namespace", pool.Metadata.Namespace!,
            "--listen-addr", string.Create(CultureInfo.InvariantCulture, $"0.0.0.0:{ListenPort}"),
            "--controller-endpoint", options.ControllerEndpoint,
            "--metrics-addr", string.Create(CultureInfo.InvariantCulture, $"0.0.0.0:{metricsPort}"),
            "--log-level", logging?.Level ?? PoolDefaults.LogLevel,
            "--log-format", logging?.Format ?? PoolDefaults.LogFormat,
        };

        Probe Probe(string path, int initialDelay, int period, int timeout) => new()
        {
            HttpGet = new HttpGetAction { Path = path, Port = "metrics" },
            InitialDelaySeconds = initialDelay,
            PeriodSeconds = period,
            TimeoutSeconds = timeout,
        };

        var container = new Container
        {
            Name = ContainerName,
            Image = spec.GatewayImage,
            Args = args,
            Ports =
            [
                new ContainerPort { Name = "gateway", ContainerPortNumber = ListenPort, Protocol = "TCP" },
                new ContainerPort { Name = "metrics", ContainerPortNumber = metricsPort, Protocol = "TCP" },
            ],
            Resources = new ResourceRequirements
            {
                Requests = new() { ["cpu"] = "50m", ["memory"] = "64Mi" },
                Limits = new()
                {
                    ["cpu"] = spec.Gateway?.Resources?.Cpu ?? PoolDefaults.GatewayCpuLimit,
                    ["memory"] = spec.Gateway?.Resources?.Memory ?? PoolDefaults.GatewayMemoryLimit,
                },
            },
            ReadinessProbe = Probe("/readyz", 1, 5, 3),
            LivenessProbe = Probe("/healthz", 10, 15, 5),
            SecurityContext = new SecurityContext
            {
                RunAsNonRoot = true,
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new Capabilities { Drop = ["ALL"] },
            },
            VolumeMounts =
            [
                new VolumeMount { Name = "server-tls", MountPath = "/etc/gateway/tls", ReadOnly = true },
                new VolumeMount { Name = "worker-tls", MountPath = "/etc/gateway/worker-tls", ReadOnly = true },
            ],
        };

        var scheduling = spec.Worker;
        return new Deployment
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.GatewayDeployment(name), labels),
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                RevisionHistoryLimit = 3,
                Selector = new LabelSelector { MatchLabels = labels },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new() { [CertificateFingerprintAnnotation] = certificateFingerprint },
                    },
                    Spec = new PodSpec
                    {
                        // The gateway's identity towards the allocation API (lookup), verified by TokenReview.
                        ServiceAccountName = PoolObjectNames.GatewayServiceAccount(name),
                        AutomountServiceAccountToken = true,
                        EnableServiceLinks = false,
                        TerminationGracePeriodSeconds = 300,
                        SecurityContext = new PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = 65532,
                            RunAsGroup = 65532,
                            SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" },
                        },
                        ImagePullSecrets = scheduling?.ImagePullSecrets,
                        Containers = [container],
                        TopologySpreadConstraints = replicas > 1 ? [SpreadAcrossNodes(labels)] : null,
                        Volumes =
                        [
                            new Volume { Name = "server-tls", Secret = new SecretVolumeSource { SecretName = PoolObjectNames.GatewayTls(name), DefaultMode = 0x124 } },
                            new Volume { Name = "worker-tls", Secret = new SecretVolumeSource { SecretName = PoolObjectNames.GatewayClientCertificates(name), DefaultMode = 0x124 } },
                        ],
                    },
                },
            },
        };
    }

    /// <summary>ServiceAccount <c>&lt;pool&gt;-gateway</c>: the gateway's identity (it is granted nothing in the cluster by default).</summary>
    public static ServiceAccount ServiceAccount(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new ServiceAccount { Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.GatewayServiceAccount(pool.Metadata.Name!), PoolOwnership.GatewayLabels(pool)) };
    }

    private static JsonElement SpreadAcrossNodes(Dictionary<string, string> labels)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("maxSkew", 1);
            writer.WriteString("topologyKey", "kubernetes.io/hostname");
            writer.WriteString("whenUnsatisfiable", "ScheduleAnyway");
            writer.WriteStartObject("labelSelector");
            writer.WriteStartObject("matchLabels");
            foreach (var (key, value) in labels)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
