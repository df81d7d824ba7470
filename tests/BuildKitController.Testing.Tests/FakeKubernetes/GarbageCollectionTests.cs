using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class GarbageCollectionTests
{
    private static JsonObject OwnedBy(string name, params JsonObject[] owners) =>
        Objects.ConfigMap(name).Also(o => o["metadata"]!["ownerReferences"] = new JsonArray([.. owners.Select(x => (JsonNode)x)]));

    [Fact]
    public async Task Background_deletion_removes_dependents_whose_owners_are_all_gone()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var owner = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("owner"));
        var other = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("other"));
        await kube.CreateAsync(Objects.ConfigMaps, OwnedBy("only-child", Objects.OwnerReference(owner)));
        await kube.CreateAsync(Objects.ConfigMaps, OwnedBy("shared-child", Objects.OwnerReference(owner), Objects.OwnerReference(other)));

        await kube.DeleteAsync($"{Objects.ConfigMaps}/owner", Json.Parse("""{"propagationPolicy":"Background"}"""));
        await cluster.Server.WaitForGarbageCollectionAsync(TestContext.Current.CancellationToken);

        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "default", "only-child"));
        var shared = cluster.Server.Get(ConfigMap.Resource, "default", "shared-child");
        Assert.NotNull(shared);
        Assert.Equal([Json.Read(other, "metadata.uid")], shared!["metadata"]!["ownerReferences"]!.AsArray().Select(r => Json.Read(r, "uid")));
    }

    [Fact]
    public async Task Dependents_with_finalizers_are_marked_for_deletion_but_kept()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var owner = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("owner"));
        await kube.CreateAsync(Objects.ConfigMaps, OwnedBy("child", Objects.OwnerReference(owner)).Also(o => o["metadata"]!["finalizers"] = new JsonArray("example.com/keep")));

        await kube.DeleteAsync($"{Objects.ConfigMaps}/owner");
        await cluster.Server.WaitForGarbageCollectionAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(Json.Read(cluster.Server.Get(ConfigMap.Resource, "default", "child"), "metadata.deletionTimestamp"));
    }

    [Fact]
    public async Task Orphan_deletion_removes_the_owner_reference_and_keeps_dependents()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var owner = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("owner"));
        await kube.CreateAsync(Objects.ConfigMaps, OwnedBy("child", Objects.OwnerReference(owner)));

        var response = await kube.DeleteAsync($"{Objects.ConfigMaps}/owner", Json.Parse("""{"propagationPolicy":"Orphan"}"""));
        await cluster.Server.WaitForGarbageCollectionAsync(TestContext.Current.CancellationToken);

        Assert.Contains("orphan", response.Object["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "default", "owner"));
        var child = cluster.Server.Get(ConfigMap.Resource, "default", "child");
        Assert.NotNull(child);
        Assert.Null(Json.Read(child, "metadata.ownerReferences"));
    }

    [Fact]
    public async Task Foreground_deletion_deletes_blocking_dependents_before_the_owner()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var owner = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("owner"));
        await kube.CreateAsync(Objects.ConfigMaps, OwnedBy("child", Objects.OwnerReference(owner, blockOwnerDeletion: true))
            .Also(o => o["metadata"]!["finalizers"] = new JsonArray("example.com/keep")));

        var response = await kube.DeleteAsync($"{Objects.ConfigMaps}/owner", Json.Parse("""{"propagationPolicy":"Foreground"}"""));
        await cluster.Server.WaitForGarbageCollectionAsync(TestContext.Current.CancellationToken);

        Assert.Contains("foregroundDeletion", response.Object["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        Assert.NotNull(cluster.Server.Get(ConfigMap.Resource, "default", "owner"));
        Assert.NotNull(Json.Read(cluster.Server.Get(ConfigMap.Resource, "default", "child"), "metadata.deletionTimestamp"));

        await kube.PatchAsync($"{Objects.ConfigMaps}/child", "application/json-patch+json", """[{"op":"remove","path":"/metadata/finalizers"}]""");
        await cluster.Server.WaitForGarbageCollectionAsync(TestContext.Current.CancellationToken);

        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "default", "child"));
        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "default", "owner"));
    }

    [Fact]
    public async Task A_dependent_created_with_a_missing_owner_is_collected()
    {
        await using var cluster = await TestCluster.StartAsync();
        var ghost = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "ghost", ["uid"] = Guid.NewGuid().ToString() };
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, OwnedBy("child", ghost));

        await cluster.Server.WaitForGarbageCollectionAsync(TestContext.Current.CancellationToken);

        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "default", "child"));
    }
}
