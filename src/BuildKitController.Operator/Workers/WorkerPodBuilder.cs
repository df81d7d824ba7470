using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Operator.Naming;

namespace BuildKitController.Operator.Workers;

/// <summary>
/// The desired Pod of a BuildKitWorker (upstream §3.6, hardened): one <c>buildkitd</c> container listening on
/// the unix socket and on TLS <c>tcp://0.0.0.0:1234</c> with the pool's worker certificate (which trusts only the
/// gateway), config from <c>&lt;pool&gt;-config</c>, state on an emptyDir, no service-account token, the pool's
/// scheduling settings, and autoscaler opt-outs while allocated.
/// </summary>
internal static class WorkerPodBuilder
{
    public const string ContainerName = "buildkitd";
    public const int Port = 1234;

    /// <param name="worker">The BuildKitWorker (owner of the pod).</param>
    /// <param name="pool">The pool, with its spec already defaulted.</param>
    /// <param name="allocated">Whether the worker is allocated (adds do-not-disrupt annotations).</param>
    public static Pod Build(BuildKitWorker worker, BuildKitPool pool, bool allocated)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(pool);
        var spec = pool.Spec;
        var poolName = pool.Metadata.Name!;
        var workerName = worker.Metadata.Name!;
        var scheduling = spec.Worker ?? new WorkerConfig();
        var profile = scheduling.SecurityProfile ?? SecurityProfiles.Rootless;
        var runtime = WorkerRuntime.For(profile);

        // User labels first, so ours (which selectors and the gateway rely on) always win.
        var labels = new Dictionary<string, string>(scheduling.PodLabels ?? [], StringComparer.Ordinal)
        {
            [Labels.Pool] = poolName,
            [Labels.Worker] = workerName,
            [Labels.Purpose] = "worker",
            [Labels.Name] = "buildkit-worker",
            [Labels.Instance] = workerName,
            [Labels.ManagedBy] = Labels.ManagerName,
        };
        var annotations = new Dictionary<string, string>(scheduling.PodAnnotations ?? [], StringComparer.Ordinal);
        if (allocated)
        {
            annotations[Labels.KarpenterDoNotDisrupt] = "true";
            annotations[Labels.ClusterAutoscalerSafeToEvict] = "false";
        }

        return new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = workerName,
                Namespace = worker.Metadata.Namespace,
                Labels = labels,
                Annotations = annotations.Count == 0 ? null : annotations,
                OwnerReferences =
                [
                    new OwnerReference
                    {
                        ApiVersion = BuildKitApi.ApiVersion,
                        Kind = "BuildKitWorker",
                        Name = workerName,
                        Uid = worker.Metadata.Uid ?? "",
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new PodSpec
            {
                RestartPolicy = "Never",
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                TerminationGracePeriodSeconds = 60,
                HostUsers = profile == SecurityProfiles.UserNamespace ? false : null,
                SecurityContext = runtime.Rootless
                    ? new PodSecurityContext { RunAsUser = 1000, RunAsGroup = 1000, RunAsNonRoot = true, FsGroup = 1000 }
                    : null,
                NodeSelector = scheduling.NodeSelector,
                Tolerations = scheduling.Tolerations,
                Affinity = scheduling.Affinity,
                TopologySpreadConstraints = scheduling.TopologySpreadConstraints,
                PriorityClassName = scheduling.PriorityClassName,
                RuntimeClassName = scheduling.RuntimeClassName,
                ImagePullSecrets = scheduling.ImagePullSecrets,
                Containers = [Container(spec, runtime, profile)],
                Volumes =
                [
                    new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = PoolObjectNames.Config(poolName) } },
                    new Volume { Name = "certs", Secret = new SecretVolumeSource { SecretName = PoolObjectNames.WorkerTls(poolName), DefaultMode = 0x120 } },
                    new Volume { Name = "buildkitd", EmptyDir = new EmptyDirVolumeSource() },
                ],
            },
        };
    }

    private static Container Container(BuildKitPoolSpec spec, WorkerRuntime runtime, string profile)
    {
        var args = new List<string>
        {
            "--addr", $"unix://{runtime.SocketPath}",
            "--addr", $"tcp://0.0.0.0:{Port}",
            "--config", "/etc/buildkit/buildkitd.toml",
            "--tlscacert", "/certs/ca.crt",
            "--tlscert", "/certs/tls.crt",
            "--tlskey", "/certs/tls.key",
        };
        if (runtime.NoProcessSandbox)
        {
            args.Add("--oci-worker-no-process-sandbox");
        }

        Probe Probe(int initialDelay, int period, int timeout, int failures) => new()
        {
            Exec = new ExecAction { Command = ["buildctl", "--addr", $"unix://{runtime.SocketPath}", "debug", "workers"] },
            InitialDelaySeconds = initialDelay,
            PeriodSeconds = period,
            TimeoutSeconds = timeout,
            FailureThreshold = failures,
        };

        return new Container
        {
            Name = ContainerName,
            Image = spec.BuildkitImage,
            Args = args,
            Ports = [new ContainerPort { Name = "buildkit", ContainerPortNumber = Port, Protocol = "TCP" }],
            Resources = spec.Resources?.Buildkit,
            ReadinessProbe = Probe(2, 5, 3, 3),
            LivenessProbe = Probe(10, 15, 5, 6),
            SecurityContext = profile switch
            {
                SecurityProfiles.Privileged => new SecurityContext { Privileged = true },
                SecurityProfiles.UserNamespace => new SecurityContext
                {
                    RunAsUser = 0,
                    ProcMount = "Unmasked",
                    SeccompProfile = new SeccompProfile { Type = "Unconfined" },
                    AppArmorProfile = new AppArmorProfile { Type = "Unconfined" },
                },
                _ => new SecurityContext
                {
                    RunAsUser = 1000,
                    RunAsGroup = 1000,
                    RunAsNonRoot = true,
                    SeccompProfile = new SeccompProfile { Type = "Unconfined" },
                    AppArmorProfile = new AppArmorProfile { Type = "Unconfined" },
                },
            },
            VolumeMounts =
            [
                new VolumeMount { Name = "config", MountPath = "/etc/buildkit", ReadOnly = true },
                new VolumeMount { Name = "certs", MountPath = "/certs", ReadOnly = true },
                new VolumeMount { Name = "buildkitd", MountPath = runtime.StatePath },
            ],
        };
    }
}
