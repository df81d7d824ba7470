using System.Net;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class FinalizerTests
{
    private static JsonObject WithFinalizer(string name) =>
        Objects.ConfigMap(name).Also(o => o["metadata"]!["finalizers"] = new JsonArray("example.com/hold"));

    [Fact]
    public async Task Delete_without_finalizers_removes_the_object_and_answers_a_Success_Status()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var response = await cluster.Kube.DeleteAsync($"{Objects.ConfigMaps}/cm");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Status", response.Text("kind"));
        Assert.Equal("Success", response.Text("status"));
        Assert.Equal("cm", response.Text("details.name"));
        Assert.Equal("configmaps", response.Text("details.kind"));
        Assert.Equal(Json.Read(created, "metadata.uid"), response.Text("details.uid"));
        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "default", "cm"));
    }

    [Fact]
    public async Task Delete_of_a_pod_answers_the_deleted_object()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.Pods, Objects.Pod("p"));

        var response = await cluster.Kube.DeleteAsync($"{Objects.Pods}/p");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Pod", response.Text("kind"));
        Assert.Equal("p", response.Text("metadata.name"));
    }

    [Fact]
    public async Task Delete_with_finalizers_sets_deletionTimestamp_and_the_object_goes_when_they_are_removed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync(Objects.ConfigMaps, WithFinalizer("cm"));
        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion={cluster.Server.CurrentResourceVersion}");

        var deleting = await kube.DeleteAsync($"{Objects.ConfigMaps}/cm");
        var stillThere = await kube.GetAsync($"{Objects.ConfigMaps}/cm");
        var removal = await kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/merge-patch+json", """{"metadata":{"finalizers":null}}""");

        Assert.Equal(HttpStatusCode.OK, deleting.Status);
        Assert.Equal("ConfigMap", deleting.Text("kind"));
        Assert.NotNull(deleting.Text("metadata.deletionTimestamp"));
        Assert.Equal("0", deleting.Text("metadata.deletionGracePeriodSeconds"));
        Assert.Equal(HttpStatusCode.OK, stillThere.Status);
        Assert.Equal(HttpStatusCode.OK, removal.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await kube.GetAsync($"{Objects.ConfigMaps}/cm")).Status);
        Assert.Equal("MODIFIED", (await watch.NextAsync())!.Type);
        Assert.Equal("MODIFIED", (await watch.NextAsync())!.Type);
        var deleted = await watch.NextAsync();
        Assert.Equal("DELETED", deleted!.Type);
        Assert.True(long.Parse(deleted.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > Json.Long(removal.Body, "metadata.resourceVersion"));
    }

    [Fact]
    public async Task New_finalizers_cannot_be_added_once_deletionTimestamp_is_set()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync(Objects.ConfigMaps, WithFinalizer("cm"));
        await kube.DeleteAsync($"{Objects.ConfigMaps}/cm");

        var response = await kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/merge-patch+json",
            """{"metadata":{"finalizers":["example.com/hold","example.com/another"]}}""");

        StatusAssert.Failure(response, 422, "Invalid",
            "ConfigMap \"cm\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/another\"}");
    }

    [Fact]
    public async Task Delete_preconditions_on_uid_and_resourceVersion_return_409()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var created = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var wrongUid = await kube.DeleteAsync($"{Objects.ConfigMaps}/cm", Json.Parse("""{"preconditions":{"uid":"nope"}}"""));
        var wrongVersion = await kube.DeleteAsync($"{Objects.ConfigMaps}/cm", Json.Parse("""{"preconditions":{"resourceVersion":"1"}}"""));
        var right = await kube.DeleteAsync($"{Objects.ConfigMaps}/cm",
            new JsonObject { ["preconditions"] = new JsonObject { ["uid"] = Json.Read(created, "metadata.uid") } });

        StatusAssert.Failure(wrongUid, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"cm\": Precondition failed: UID in precondition: nope, UID in object meta: ");
        StatusAssert.Failure(wrongVersion, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"cm\": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ");
        Assert.Equal(HttpStatusCode.OK, right.Status);
    }

    [Fact]
    public async Task Delete_of_a_missing_object_returns_404()
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.Kube.DeleteAsync($"{Objects.ConfigMaps}/missing");

        StatusAssert.Failure(response, 404, "NotFound", "configmaps \"missing\" not found");
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_content_and_then_the_namespace()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync("/api/v1/namespaces", Json.Parse("""{"metadata":{"name":"team"}}"""));
        await kube.CreateAsync("/api/v1/namespaces/team/configmaps", Objects.ConfigMap("cm"));

        var deleting = await kube.DeleteAsync("/api/v1/namespaces/team");
        await cluster.Server.WaitForGarbageCollectionAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Terminating", deleting.Text("status.phase"));
        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "team", "cm"));
        Assert.Null(cluster.Server.Get(Namespace.Resource, null, "team"));
    }
}
