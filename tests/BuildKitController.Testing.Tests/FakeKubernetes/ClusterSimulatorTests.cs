using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class ClusterSimulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string? Condition(JsonObject pod, string type) =>
        pod["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type)?["status"]?.GetValue<string>();

    [Fact]
    public async Task New_pods_become_running_and_ready_with_distinct_loopback_ips()
    {
        await using var cluster = await TestCluster.StartAsync(new FakeApiServerOptions { SimulateKubelet = true });
        var (server, kube) = cluster;

        await kube.CreateAsync(Objects.Pods, Objects.Pod("a"));
        await kube.CreateAsync(Objects.Pods, Objects.Pod("b"));
        await server.WaitForControllersAsync(Ct);

        var a = server.Get(Pod.Resource, "default", "a")!;
        var b = server.Get(Pod.Resource, "default", "b")!;
        Assert.Equal("Running", (string?)a["status"]!["phase"]);
        Assert.Equal("True", Condition(a, "Ready"));
        Assert.StartsWith("127.0.", (string?)a["status"]!["podIP"], StringComparison.Ordinal);
        Assert.NotEqual((string?)a["status"]!["podIP"], (string?)b["status"]!["podIP"]);
        Assert.True((bool?)a["status"]!["containerStatuses"]![0]!["ready"]);
    }

    [Fact]
    public async Task Pod_fate_can_keep_a_pod_unschedulable_or_fail_it()
    {
        var options = new FakeApiServerOptions
        {
            SimulateKubelet = true,
            PodFate = (_, name) => name == "stuck" ? PodFate.Unschedulable : name == "broken" ? PodFate.Failed : PodFate.Pending,
        };
        await using var cluster = await TestCluster.StartAsync(options);
        var (server, kube) = cluster;

        await kube.CreateAsync(Objects.Pods, Objects.Pod("stuck"));
        await kube.CreateAsync(Objects.Pods, Objects.Pod("broken"));
        await kube.CreateAsync(Objects.Pods, Objects.Pod("waiting"));
        await server.WaitForControllersAsync(Ct);

        var stuck = server.Get(Pod.Resource, "default", "stuck")!;
        Assert.Equal("Pending", (string?)stuck["status"]!["phase"]);
        Assert.Equal("False", Condition(stuck, "PodScheduled"));
        Assert.Equal("Failed", (string?)server.Get(Pod.Resource, "default", "broken")!["status"]!["phase"]);
        Assert.Null(server.Get(Pod.Resource, "default", "waiting")!["status"]?["podIP"]);
    }

    [Fact]
    public async Task Readiness_can_be_flipped_and_pods_failed_later()
    {
        await using var cluster = await TestCluster.StartAsync(new FakeApiServerOptions { SimulateKubelet = true });
        var (server, kube) = cluster;
        await kube.CreateAsync(Objects.Pods, Objects.Pod("a"));
        await server.WaitForControllersAsync(Ct);

        Assert.True(server.SetPodReady("default", "a", ready: false));
        Assert.Equal("False", Condition(server.Get(Pod.Resource, "default", "a")!, "Ready"));
        Assert.True(server.SetPodReady("default", "a", ready: true));
        Assert.Equal("True", Condition(server.Get(Pod.Resource, "default", "a")!, "Ready"));

        Assert.True(server.FailPod("default", "a"));
        Assert.Equal("Failed", (string?)server.Get(Pod.Resource, "default", "a")!["status"]!["phase"]);
        Assert.False(server.SetPodReady("default", "missing", ready: true));
    }

    [Fact]
    public async Task Deployments_report_ready_replicas_for_their_generation()
    {
        await using var cluster = await TestCluster.StartAsync(new FakeApiServerOptions { SimulateDeploymentController = true });
        var (server, kube) = cluster;
        await kube.CreateAsync(Objects.Deployments, Objects.Deployment("gw", replicas: 2));
        await server.WaitForControllersAsync(Ct);

        var status = server.Get(Deployment.Resource, "default", "gw")!["status"]!;
        Assert.Equal("2", status["readyReplicas"]!.ToJsonString());
        Assert.Equal("1", status["observedGeneration"]!.ToJsonString());

        var response = await kube.PatchAsync(Objects.Deployments + "/gw", "application/merge-patch+json", """{"spec":{"replicas":3}}""");
        Assert.Equal(200, (int)response.Status);
        await server.WaitForControllersAsync(Ct);

        status = server.Get(Deployment.Resource, "default", "gw")!["status"]!;
        Assert.Equal("3", status["readyReplicas"]!.ToJsonString());
        Assert.Equal("2", status["observedGeneration"]!.ToJsonString());
    }

    [Fact]
    public async Task Without_simulation_pods_keep_no_status()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        await kube.CreateAsync(Objects.Pods, Objects.Pod("a"));
        await server.WaitForControllersAsync(Ct);

        var status = server.Get(Pod.Resource, "default", "a")!["status"];
        Assert.Equal("Pending", (string?)status?["phase"]);
        Assert.Null(status?["podIP"]);
        Assert.Null(status?["conditions"]);
    }
}
