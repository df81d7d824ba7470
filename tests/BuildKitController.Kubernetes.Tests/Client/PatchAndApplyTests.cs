using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Tests.Support;

namespace BuildKitController.Kubernetes.Tests.Client;

public sealed class PatchAndApplyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConfigMap Desired(Dictionary<string, string> labels, Dictionary<string, string> data) => new()
    {
        Metadata = new ObjectMeta { Name = "cm", Namespace = "default", Labels = labels },
        Data = data,
    };

    [Fact]
    public async Task Server_side_apply_creates_then_updates_and_removes_fields_it_no_longer_applies()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var manager = new ApplyOptions("buildkit-controller");

        var created = await configMaps.ApplyAsync(Desired(new() { ["a"] = "1", ["b"] = "2" }, new() { ["x"] = "1" }), manager, Ct);
        Assert.Equal("2", created.Metadata.Labels!["b"]);

        var updated = await configMaps.ApplyAsync(Desired(new() { ["a"] = "1" }, new() { ["x"] = "2" }), manager, Ct);

        Assert.False(updated.Metadata.Labels!.ContainsKey("b"));
        Assert.Equal("2", updated.Data!["x"]);
        var apply = cluster.Server.RequestLog.Entries.Where(e => e.Method == "PATCH").ToList();
        Assert.All(apply, e => Assert.Equal("application/apply-patch+yaml", e.ContentType));
        Assert.All(apply, e => Assert.Contains("fieldManager=buildkit-controller", e.PathAndQuery, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_leaves_fields_owned_by_other_managers_alone()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await configMaps.ApplyAsync(Desired(new() { ["a"] = "1" }, new() { ["x"] = "1" }), new ApplyOptions("controller"), Ct);
        await configMaps.PatchAsync("default", "cm", KubernetesPatch.Merge("""{"metadata":{"labels":{"human":"yes"}}}"""), Ct, fieldManager: "kubectl");

        var updated = await configMaps.ApplyAsync(Desired(new() { ["a"] = "2" }, new() { ["x"] = "1" }), new ApplyOptions("controller"), Ct);

        Assert.Equal("yes", updated.Metadata.Labels!["human"]);
        Assert.Equal("2", updated.Metadata.Labels["a"]);
    }

    [Fact]
    public async Task Apply_conflicts_with_another_manager_unless_forced()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await configMaps.ApplyAsync(Desired(new() { ["a"] = "1" }, new() { ["x"] = "1" }), new ApplyOptions("first"), Ct);

        var conflict = await Assert.ThrowsAsync<KubernetesConflictException>(
            () => configMaps.ApplyAsync(Desired(new() { ["a"] = "1" }, new() { ["x"] = "2" }), new ApplyOptions("second", Force: false), Ct));
        Assert.Contains("conflict", conflict.Message, StringComparison.OrdinalIgnoreCase);

        var forced = await configMaps.ApplyAsync(Desired(new() { ["a"] = "1" }, new() { ["x"] = "2" }), new ApplyOptions("second", Force: true), Ct);
        Assert.Equal("2", forced.Data!["x"]);
    }

    [Fact]
    public async Task Merge_and_json_patches_apply()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await configMaps.CreateAsync(Desired(new() { ["a"] = "1" }, new() { ["x"] = "1", ["y"] = "2" }), Ct);

        var merged = await configMaps.PatchAsync("default", "cm", KubernetesPatch.Merge("""{"data":{"x":null,"z":"3"}}"""), Ct);
        Assert.Equal(["y", "z"], merged.Data!.Keys.Order());

        var patched = await configMaps.PatchAsync("default", "cm", KubernetesPatch.Json(new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/data/y", ["value"] = "2" },
            new JsonObject { ["op"] = "replace", ["path"] = "/data/y", ["value"] = "20" })), Ct);
        Assert.Equal("20", patched.Data!["y"]);

        await Assert.ThrowsAsync<KubernetesInvalidException>(() => configMaps.PatchAsync("default", "cm",
            KubernetesPatch.Json("""[{"op":"test","path":"/data/y","value":"nope"}]"""), Ct));
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var deployments = cluster.CreateClient().For<Deployment>();
        await deployments.CreateAsync(new Deployment
        {
            Metadata = new ObjectMeta { Name = "d", Namespace = "default" },
            Spec = new DeploymentSpec
            {
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "d" } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = "d" } },
                    Spec = new PodSpec { Containers = [new Container { Name = "a", Image = "a:1" }, new Container { Name = "b", Image = "b:1" }] },
                },
            },
        }, Ct);

        var patched = await deployments.PatchAsync("default", "d",
            KubernetesPatch.StrategicMerge("""{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"b:2"}]}}}}"""), Ct);

        var containers = patched.Spec!.Template.Spec!.Containers;
        Assert.Equal(["a:1", "b:2"], containers.Select(c => c.Image));
        Assert.Equal(2, patched.Metadata.Generation);
    }
}
