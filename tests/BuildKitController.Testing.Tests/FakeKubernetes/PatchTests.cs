using System.Net;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class PatchTests
{
    [Fact]
    public async Task Merge_patch_merges_maps_and_null_deletes()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm", new() { ["a"] = "1", ["b"] = "2" }));

        var response = await cluster.Kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/merge-patch+json",
            """{"metadata":{"labels":{"a":null,"c":"3"}},"data":{"other":"x"}}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("""{"b":"2","c":"3"}""", response.Text("metadata.labels"));
        Assert.Equal("v", response.Text("data.key"));
        Assert.Equal("x", response.Text("data.other"));
    }

    [Fact]
    public async Task Json_patch_applies_operations_and_a_failed_test_returns_422()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var ok = await cluster.Kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/json-patch+json",
            """[{"op":"test","path":"/data/key","value":"v"},{"op":"replace","path":"/data/key","value":"w"},{"op":"add","path":"/data/new","value":"n"}]""");
        var failed = await cluster.Kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/json-patch+json",
            """[{"op":"test","path":"/data/key","value":"v"},{"op":"remove","path":"/data/key"}]""");

        Assert.Equal("w", ok.Text("data.key"));
        Assert.Equal("n", ok.Text("data.new"));
        StatusAssert.Failure(failed, 422, "Invalid", "the server rejected our request due to an error in our request");
        Assert.Equal("testing value /data/key failed: test failed", failed.Text("details.causes.0.message"));
        Assert.Equal("w", Json.Read(cluster.Server.Get(Kubernetes.Models.CoreV1.ConfigMap.Resource, "default", "cm"), "data.key"));
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_and_env_by_name()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.Deployments, Objects.Deployment("web"));

        var response = await cluster.Kube.PatchAsync($"{Objects.Deployments}/web", "application/strategic-merge-patch+json", """
            {"spec":{"template":{"spec":{"containers":[
              {"name":"app","image":"nginx:2","env":[{"name":"MODE","value":"prod"}]},
              {"name":"sidecar","image":"envoy"}
            ]}}}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var containers = response.Object["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("nginx:2", Json.Read(containers[0], "image"));
        Assert.Equal("prod", Json.Read(containers[0], "env.0.value"));
        Assert.Equal("sidecar", Json.Read(containers[1], "name"));
        Assert.Equal("2", response.Text("metadata.generation"));
    }

    [Fact]
    public async Task Strategic_merge_patch_supports_delete_and_replace_directives_and_merges_finalizers_as_a_set()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.Pods, Objects.Pod("p").Also(o => o["metadata"]!["finalizers"] = new System.Text.Json.Nodes.JsonArray("a/one")));

        var response = await cluster.Kube.PatchAsync($"{Objects.Pods}/p", "application/strategic-merge-patch+json", """
            {"metadata":{"finalizers":["a/one","a/two"],"$setElementOrder/finalizers":["a/one","a/two"]},
             "spec":{"containers":[{"name":"app","env":[{"name":"A","$patch":"delete"}]}],
                     "nodeSelector":{"$patch":"replace","zone":"b"}}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("""["a/one","a/two"]""", response.Text("metadata.finalizers"));
        Assert.Equal("[]", response.Text("spec.containers.0.env"));
        Assert.Equal("busybox", response.Text("spec.containers.0.image"));
        Assert.Equal("""{"zone":"b"}""", response.Text("spec.nodeSelector"));
    }

    [Fact]
    public async Task Patch_with_a_stale_resourceVersion_in_the_body_returns_409()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var response = await cluster.Kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/merge-patch+json",
            """{"metadata":{"resourceVersion":"1"},"data":{"key":"x"}}""");

        StatusAssert.Failure(response, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"cm\": the object has been modified");
    }

    [Fact]
    public async Task Patching_status_works_for_every_patch_type()
    {
        await using var cluster = await TestCluster.StartAsync();
        var path = $"{Objects.Deployments}/web/status";
        await cluster.Kube.CreateAsync(Objects.Deployments, Objects.Deployment("web"));

        var merge = await cluster.Kube.PatchAsync(path, "application/merge-patch+json", """{"status":{"replicas":1}}""");
        var json = await cluster.Kube.PatchAsync(path, "application/json-patch+json", """[{"op":"add","path":"/status/readyReplicas","value":1}]""");
        var smp = await cluster.Kube.PatchAsync(path, "application/strategic-merge-patch+json",
            """{"status":{"conditions":[{"type":"Available","status":"True"}]}}""");
        var apply = await cluster.Kube.ApplyAsync(path, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            status: {observedGeneration: 1}
            """, "status-writer");

        Assert.Equal("1", merge.Text("status.replicas"));
        Assert.Equal("1", json.Text("status.readyReplicas"));
        Assert.Equal("Available", smp.Text("status.conditions.0.type"));
        Assert.Equal(HttpStatusCode.OK, apply.Status);
        Assert.Equal("1", apply.Text("status.observedGeneration"));
        Assert.Equal("1", apply.Text("status.replicas"));
        Assert.Equal("1", apply.Text("metadata.generation"));
    }

    [Fact]
    public async Task Unsupported_patch_content_type_returns_415()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var response = await cluster.Kube.PatchAsync($"{Objects.ConfigMaps}/cm", "text/plain", "x");

        StatusAssert.Failure(response, 415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
    }

    [Fact]
    public async Task Force_on_a_non_apply_patch_returns_422()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var response = await cluster.Kube.PatchAsync($"{Objects.ConfigMaps}/cm?force=true", "application/merge-patch+json", "{}");

        StatusAssert.Failure(response, 422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
    }
}
