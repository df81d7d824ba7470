using System.Text.Json;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Operator.Informers;

namespace BuildKitController.Operator.Tests.Informers;

public sealed class CacheTransformsTests
{
    private static ObjectMeta Meta() => new()
    {
        Name = "pool-worker-0",
        Namespace = "ci",
        ResourceVersion = "42",
        Uid = "u-1",
        Annotations = new() { ["buildkit.smrt-devops.net/spec-hash"] = "abc" },
        Labels = new() { ["app"] = "buildkit" },
        DeletionTimestamp = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_worker_pod_keeps_its_metadata_and_the_status_the_phase_is_derived_from()
    {
        var pod = new Pod
        {
            Metadata = Meta(),
            Spec = new PodSpec { Containers = [new Container { Name = "buildkitd", Image = "moby/buildkit" }] },
            Status = new PodStatus
            {
                Phase = "Running",
                Reason = "r",
                Message = "m",
                PodIP = "10.0.0.7",
                HostIP = "192.168.0.1",
                ContainerStatuses = [new ContainerStatus { Name = "buildkitd", Ready = true }],
                Conditions = [new PodCondition { Type = "Ready", Status = ConditionStatus.True, ExtensionData = new() { ["x"] = JsonSerializer.SerializeToElement(1) } }],
            },
        };

        var slim = CacheTransforms.WorkerPod(pod);

        Assert.Same(pod.Metadata, slim.Metadata);
        Assert.Equal("v1", slim.ApiVersion);
        Assert.Equal("Pod", slim.Kind);
        Assert.Null(slim.Spec);
        Assert.Equal(("Running", "r", "m", "10.0.0.7"), (slim.Status!.Phase, slim.Status.Reason, slim.Status.Message, slim.Status.PodIP));
        Assert.Null(slim.Status.ContainerStatuses);
        Assert.Null(slim.Status.HostIP);
        var ready = Assert.Single(slim.Status.Conditions!);
        Assert.Equal(("Ready", ConditionStatus.True), (ready.Type, ready.Status));
        Assert.Null(ready.ExtensionData);
        Assert.Null(CacheTransforms.WorkerPod(new Pod { Metadata = Meta() }).Status);
    }

    [Fact]
    public void A_gateway_deployment_keeps_metadata_and_replica_status_only()
    {
        var deployment = new Deployment
        {
            Metadata = Meta(),
            Spec = new DeploymentSpec { Replicas = 2 },
            Status = new DeploymentStatus { Replicas = 2, ReadyReplicas = 1 },
        };

        var slim = CacheTransforms.GatewayDeployment(deployment);

        Assert.Same(deployment.Metadata, slim.Metadata);
        Assert.Null(slim.Spec);
        Assert.Equal((2, 1), (slim.Status!.Replicas, slim.Status.ReadyReplicas));
    }

    [Fact]
    public void Objects_compared_by_applied_hash_keep_only_their_metadata()
    {
        var policy = new NetworkPolicy { Metadata = Meta(), Spec = new NetworkPolicySpec(), ExtensionData = new() { ["extra"] = JsonSerializer.SerializeToElement("x") } };
        var configMap = new ConfigMap { Metadata = Meta(), Data = new() { ["buildkitd.toml"] = "debug = true" } };

        var slimPolicy = CacheTransforms.MetadataOnly(policy);
        var slimConfig = CacheTransforms.MetadataOnly(configMap);

        Assert.Same(policy.Metadata, slimPolicy.Metadata);
        Assert.Null(slimPolicy.Spec);
        Assert.Null(slimPolicy.ExtensionData);
        Assert.Equal("NetworkPolicy", slimPolicy.Kind);
        Assert.Equal("abc", slimConfig.Metadata.Annotations!["buildkit.smrt-devops.net/spec-hash"]);
        Assert.Null(slimConfig.Data);
    }
}
