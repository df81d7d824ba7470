using System.Net;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class StatusSubresourceTests
{
    [Fact]
    public async Task Status_in_a_create_is_dropped_for_kinds_with_a_status_subresource()
    {
        await using var cluster = await TestCluster.StartAsync();
        var body = Objects.Deployment("web");
        body["status"] = Json.Parse("""{"readyReplicas": 3}""");

        var created = await cluster.Kube.CreateAsync(Objects.Deployments, body);

        Assert.Null(Json.Read(created, "status.readyReplicas"));
    }

    [Fact]
    public async Task Writes_to_the_main_resource_ignore_status()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync(Objects.Deployments, Objects.Deployment("web"));
        await kube.PatchAsync($"{Objects.Deployments}/web/status", "application/merge-patch+json", """{"status":{"readyReplicas":1}}""");

        var put = (await kube.GetAsync($"{Objects.Deployments}/web")).Object;
        put["status"]!["readyReplicas"] = 9;
        put["spec"]!["replicas"] = 4;
        var afterPut = await kube.PutAsync($"{Objects.Deployments}/web", put);
        var afterPatch = await kube.PatchAsync($"{Objects.Deployments}/web", "application/merge-patch+json", """{"status":{"readyReplicas":7}}""");

        Assert.Equal("1", afterPut.Text("status.readyReplicas"));
        Assert.Equal("4", afterPut.Text("spec.replicas"));
        Assert.Equal("1", afterPatch.Text("status.readyReplicas"));
    }

    [Fact]
    public async Task Writes_to_status_change_only_status_and_never_bump_generation()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var created = await kube.CreateAsync(Objects.Deployments, Objects.Deployment("web"));
        var update = created.DeepClone().AsObject();
        update["status"] = Json.Parse("""{"readyReplicas": 2, "observedGeneration": 1}""");
        update["spec"]!["replicas"] = 10;
        update["metadata"]!["labels"]!["sneaky"] = "yes";

        var response = await kube.PutAsync($"{Objects.Deployments}/web/status", update);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("2", response.Text("status.readyReplicas"));
        Assert.Equal("1", response.Text("spec.replicas"));
        Assert.Null(response.Text("metadata.labels.sneaky"));
        Assert.Equal("1", response.Text("metadata.generation"));
        Assert.True(Json.Long(response.Body, "metadata.resourceVersion") > Json.Long(created, "metadata.resourceVersion"));
    }

    [Fact]
    public async Task Status_update_with_stale_resourceVersion_returns_409()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var created = await kube.CreateAsync(Objects.Deployments, Objects.Deployment("web"));
        await kube.PatchAsync($"{Objects.Deployments}/web", "application/merge-patch+json", """{"spec":{"replicas":2}}""");
        created["status"] = Json.Parse("""{"readyReplicas": 2}""");

        var response = await kube.PutAsync($"{Objects.Deployments}/web/status", created);

        StatusAssert.Failure(response, 409, "Conflict", "Operation cannot be fulfilled on deployments.apps \"web\"");
    }

    [Fact]
    public async Task Status_subresource_of_a_kind_without_one_is_404()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var response = await cluster.Kube.GetAsync($"{Objects.ConfigMaps}/cm/status");

        StatusAssert.Failure(response, 404, "NotFound", "the server could not find the requested resource");
    }
}
