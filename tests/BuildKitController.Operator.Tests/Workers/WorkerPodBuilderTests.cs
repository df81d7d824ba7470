using System.Text.Json;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Operator.Workers;

namespace BuildKitController.Operator.Tests.Workers;

public sealed class WorkerPodBuilderTests
{
    private static BuildKitWorker Worker() => new()
    {
        Metadata = new ObjectMeta { Name = "ci-worker-abcde", Namespace = "builds", Uid = "worker-uid" },
        Spec = new BuildKitWorkerSpec { PoolRef = new PoolReference { Name = "ci" } },
    };

    private static BuildKitPool Pool(WorkerConfig? worker = null) => BuildKitPoolDefaulter.Apply(new BuildKitPool
    {
        Metadata = new ObjectMeta { Name = "ci", Namespace = "builds" },
        Spec = new BuildKitPoolSpec { Worker = worker },
    });

    private static Container Buildkitd(Pod pod) => Assert.Single(pod.Spec!.Containers);

    [Fact]
    public void The_default_rootless_pod_matches_the_upstream_contract()
    {
        var pod = WorkerPodBuilder.Build(Worker(), Pool(), allocated: false);
        var container = Buildkitd(pod);

        Assert.Equal("ci-worker-abcde", pod.Metadata.Name);
        Assert.Equal("builds", pod.Metadata.Namespace);
        Assert.Equal("ci", pod.Metadata.Labels!["buildkit.smrt-devops.net/pool"]);
        Assert.Equal("ci-worker-abcde", pod.Metadata.Labels["buildkit.smrt-devops.net/worker"]);
        Assert.Equal("worker", pod.Metadata.Labels["buildkit.smrt-devops.net/purpose"]);
        Assert.Equal("moby/buildkit:master-rootless", container.Image);
        Assert.Equal(
            ["--addr", "unix:///run/user/1000/buildkit/buildkitd.sock", "--addr", "tcp://0.0.0.0:1234", "--config", "/etc/buildkit/buildkitd.toml",
             "--tlscacert", "/certs/ca.crt", "--tlscert", "/certs/tls.crt", "--tlskey", "/certs/tls.key", "--oci-worker-no-process-sandbox"],
            container.Args);
        Assert.Equal(1000, container.SecurityContext!.RunAsUser);
        Assert.Equal("Unconfined", container.SecurityContext.SeccompProfile!.Type);
        Assert.Equal("Unconfined", container.SecurityContext.AppArmorProfile!.Type);
        Assert.Equal("Never", pod.Spec!.RestartPolicy);
        Assert.False(pod.Spec.AutomountServiceAccountToken);
        Assert.Equal(["ci-config", "ci-worker-tls"], pod.Spec.Volumes!.Select(v => v.ConfigMap?.Name ?? v.Secret?.SecretName).OfType<string>());
        Assert.Contains(container.VolumeMounts!, m => m.MountPath == "/home/user/.local/share/buildkit");
        Assert.Equal("1", container.Resources!.Requests!["cpu"]);
        Assert.Contains("debug", container.ReadinessProbe!.Exec!.Command!);
    }

    [Fact]
    public void The_pod_is_owned_by_its_worker()
    {
        var owner = Assert.Single(WorkerPodBuilder.Build(Worker(), Pool(), allocated: false).Metadata.OwnerReferences!);

        Assert.Equal(("BuildKitWorker", "ci-worker-abcde", "worker-uid"), (owner.Kind, owner.Name, owner.Uid));
        Assert.True(owner.Controller);
    }

    [Fact]
    public void Allocated_workers_opt_out_of_autoscaler_disruption()
    {
        var idle = WorkerPodBuilder.Build(Worker(), Pool(), allocated: false);
        var allocated = WorkerPodBuilder.Build(Worker(), Pool(), allocated: true);

        Assert.Null(idle.Metadata.Annotations);
        Assert.Equal("true", allocated.Metadata.Annotations!["karpenter.sh/do-not-disrupt"]);
        Assert.Equal("false", allocated.Metadata.Annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"]);
    }

    [Fact]
    public void Pool_scheduling_settings_pass_through_and_user_labels_cannot_override_ours()
    {
        var worker = new WorkerConfig
        {
            NodeSelector = new() { ["kubernetes.io/arch"] = "arm64" },
            Tolerations = [new Toleration { Key = "builders", Operator = "Exists", Effect = "NoSchedule" }],
            Affinity = JsonDocument.Parse("""{"nodeAffinity":{}}""").RootElement,
            PriorityClassName = "ci-high",
            RuntimeClassName = "gvisor",
            ImagePullSecrets = [new LocalObjectReference { Name = "regcred" }],
            PodLabels = new() { ["team"] = "platform", ["buildkit.smrt-devops.net/pool"] = "spoofed" },
            PodAnnotations = new() { ["example.com/note"] = "x" },
        };

        var pod = WorkerPodBuilder.Build(Worker(), Pool(worker), allocated: false);

        Assert.Equal("arm64", pod.Spec!.NodeSelector!["kubernetes.io/arch"]);
        Assert.Equal("builders", Assert.Single(pod.Spec.Tolerations!).Key);
        Assert.NotNull(pod.Spec.Affinity);
        Assert.Equal(("ci-high", "gvisor"), (pod.Spec.PriorityClassName, pod.Spec.RuntimeClassName));
        Assert.Equal("regcred", Assert.Single(pod.Spec.ImagePullSecrets!).Name);
        Assert.Equal("platform", pod.Metadata.Labels!["team"]);
        Assert.Equal("ci", pod.Metadata.Labels["buildkit.smrt-devops.net/pool"]);
        Assert.Equal("x", pod.Metadata.Annotations!["example.com/note"]);
    }

    [Fact]
    public void Privileged_profile_runs_rootful_with_the_process_sandbox()
    {
        var pod = WorkerPodBuilder.Build(Worker(), Pool(new WorkerConfig { SecurityProfile = SecurityProfiles.Privileged }), allocated: false);
        var container = Buildkitd(pod);

        Assert.True(container.SecurityContext!.Privileged);
        Assert.DoesNotContain("--oci-worker-no-process-sandbox", container.Args!);
        Assert.Contains("unix:///run/buildkit/buildkitd.sock", container.Args!);
        Assert.Equal("moby/buildkit:master", container.Image);
        Assert.Null(pod.Spec!.SecurityContext);
    }

    [Fact]
    public void Userns_profile_uses_a_pod_user_namespace_and_an_unmasked_proc()
    {
        var pod = WorkerPodBuilder.Build(Worker(), Pool(new WorkerConfig { SecurityProfile = SecurityProfiles.UserNamespace }), allocated: false);
        var container = Buildkitd(pod);

        Assert.False(pod.Spec!.HostUsers);
        Assert.Equal("Unmasked", container.SecurityContext!.ProcMount);
        Assert.Null(container.SecurityContext.Privileged);
        Assert.DoesNotContain("--oci-worker-no-process-sandbox", container.Args!);
        Assert.Contains("\"hostUsers\":false", JsonSerializer.Serialize(pod, Pod.JsonTypeInfo), StringComparison.Ordinal);
    }
}
