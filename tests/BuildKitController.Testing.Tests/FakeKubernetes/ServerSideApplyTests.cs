using System.Net;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class ServerSideApplyTests
{
    private const string Path = $"{Objects.ConfigMaps}/cm";

    private static string ConfigMap(string labels, string data = "key: v") => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm
          labels: {labels}
        data:
          {data}
        """;

    [Fact]
    public async Task Apply_creates_then_updates_and_tracks_managed_fields()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;

        var created = await kube.ApplyAsync(Path, ConfigMap("{app: web}"), "controller");
        var updated = await kube.ApplyAsync(Path, ConfigMap("{app: web}", "key: changed"), "controller");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("changed", updated.Text("data.key"));
        var entry = updated.Object["metadata"]!["managedFields"]!.AsArray().Single()!;
        Assert.Equal("controller", Json.Read(entry, "manager"));
        Assert.Equal("Apply", Json.Read(entry, "operation"));
        Assert.Equal("v1", Json.Read(entry, "apiVersion"));
        Assert.Equal("FieldsV1", Json.Read(entry, "fieldsType"));
        Assert.NotNull(Json.Read(entry, "time"));
        Assert.Equal("""{"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""", entry["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task Apply_that_drops_a_label_removes_it()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.ApplyAsync(Path, ConfigMap("{app: web, stale: yes}"), "controller");

        var response = await kube.ApplyAsync(Path, ConfigMap("{app: web}"), "controller");

        Assert.Equal("""{"app":"web"}""", response.Text("metadata.labels"));
    }

    [Fact]
    public async Task Apply_keeps_a_dropped_field_that_another_manager_also_applied()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.ApplyAsync(Path, ConfigMap("{app: web, shared: yes}"), "first");
        await kube.ApplyAsync(Path, ConfigMap("{shared: yes}"), "second");

        var response = await kube.ApplyAsync(Path, ConfigMap("{app: web}"), "first");

        Assert.Equal("yes", response.Text("metadata.labels.shared"));
    }

    [Fact]
    public async Task Apply_of_a_field_owned_by_another_manager_conflicts_unless_forced()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var deployments = $"{Objects.Deployments}/web";
        var manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: REPLICAS
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: app
                    image: nginx:1
            """;
        await kube.ApplyAsync(deployments, manifest.Replace("REPLICAS", "1", StringComparison.Ordinal), "owner");
        await kube.PatchAsync($"{deployments}?fieldManager=scaler", "application/merge-patch+json", """{"spec":{"replicas":5}}""");

        var conflict = await kube.ApplyAsync(deployments, manifest.Replace("REPLICAS", "2", StringComparison.Ordinal), "owner");
        var same = await kube.ApplyAsync(deployments, manifest.Replace("REPLICAS", "5", StringComparison.Ordinal), "owner");
        var forced = await kube.ApplyAsync(deployments, manifest.Replace("REPLICAS", "3", StringComparison.Ordinal), "owner", force: true);

        StatusAssert.Failure(conflict, 409, "Conflict", "Apply failed with 1 conflict: conflict with \"scaler\" using apps/v1: .spec.replicas");
        Assert.Equal("FieldManagerConflict", conflict.Text("details.causes.0.reason"));
        Assert.Equal(".spec.replicas", conflict.Text("details.causes.0.field"));
        Assert.Equal("conflict with \"scaler\" using apps/v1", conflict.Text("details.causes.0.message"));
        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal(HttpStatusCode.OK, forced.Status);
        Assert.Equal("3", forced.Text("spec.replicas"));
        var managers = forced.Object["metadata"]!["managedFields"]!.AsArray();
        Assert.DoesNotContain(managers, m => Json.Read(m, "manager") == "scaler" && m!["fieldsV1"]!.ToJsonString().Contains("f:replicas", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Associative_lists_merge_by_key_and_encode_k_elements()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: app
                image: busybox
                ports: [{containerPort: 80}]
            """;

        var first = await kube.ApplyAsync($"{Objects.Pods}/p", pod, "a");
        var second = await kube.ApplyAsync($"{Objects.Pods}/p", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: sidecar
                image: envoy
            """, "b");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(2, second.Object["spec"]!["containers"]!.AsArray().Count);
        var containers = first.Object["metadata"]!["managedFields"]![0]!["fieldsV1"]!["f:spec"]!["f:containers"]!.AsObject();
        var app = containers["""k:{"name":"app"}"""]!.AsObject();
        Assert.True(app.ContainsKey("."));
        Assert.True(app["f:ports"]!.AsObject().ContainsKey("""k:{"containerPort":80,"protocol":"TCP"}"""));
    }

    [Fact]
    public async Task Apply_on_a_custom_resource_uses_schema_list_types()
    {
        await using var cluster = await CustomResourceTests.StartWithDefinitionAsync();
        var kube = cluster.Kube;
        var path = $"{CustomResourceTests.Workers}/w1";

        await kube.ApplyAsync(path, """
            apiVersion: buildkit.smrt-devops.net/v1alpha1
            kind: BuildKitWorker
            metadata: {name: w1}
            spec: {pool: p1, ports: [{name: a, port: 1}], tags: [x]}
            """, "one");
        var merged = await kube.ApplyAsync(path, """
            apiVersion: buildkit.smrt-devops.net/v1alpha1
            kind: BuildKitWorker
            metadata: {name: w1}
            spec: {ports: [{name: b, port: 2}], tags: [y]}
            """, "two");

        Assert.Equal(HttpStatusCode.OK, merged.Status);
        Assert.Equal("""[{"name":"a","port":1},{"name":"b","port":2}]""", merged.Text("spec.ports"));
        Assert.Equal("""["x","y"]""", merged.Text("spec.tags"));
        var two = merged.Object["metadata"]!["managedFields"]!.AsArray().Single(m => Json.Read(m, "manager") == "two")!;
        Assert.True(two["fieldsV1"]!["f:spec"]!["f:tags"]!.AsObject().ContainsKey("v:\"y\""));
        Assert.True(two["fieldsV1"]!["f:spec"]!["f:ports"]!.AsObject().ContainsKey("""k:{"name":"b"}"""));
    }

    [Fact]
    public async Task Apply_without_fieldManager_returns_422_like_the_real_server()
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.Kube.PatchAsync(Path, "application/apply-patch+yaml", ConfigMap("{app: web}"));

        StatusAssert.Failure(response, 422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    }

    [Fact]
    public async Task Apply_accepts_JSON_bodies_and_ignores_status_on_the_main_resource()
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.Kube.ApplyAsync($"{Objects.Deployments}/web",
            Objects.Deployment("web").Also(d => d["status"] = Json.Parse("""{"replicas":9}""")).ToJsonString(), "ctl");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Null(response.Text("status.replicas"));
        Assert.DoesNotContain("f:status", response.Object["metadata"]!["managedFields"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_apply_writes_record_Update_entries_named_after_the_user_agent()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Kube.Http.DefaultRequestHeaders.UserAgent.ParseAdd("kubectl/v1.32.0");

        var created = await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var entry = created["metadata"]!["managedFields"]![0]!;
        Assert.Equal("kubectl", Json.Read(entry, "manager"));
        Assert.Equal("Update", Json.Read(entry, "operation"));
    }
}
