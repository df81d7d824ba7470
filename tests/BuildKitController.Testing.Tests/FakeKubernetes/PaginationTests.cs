using System.Net;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class PaginationTests
{
    [Fact]
    public async Task Limit_and_continue_walk_several_pages_in_name_order_from_one_snapshot()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        foreach (var name in new[] { "e", "a", "d", "b", "c" })
        {
            await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap(name));
        }

        var first = await kube.GetAsync($"{Objects.ConfigMaps}?limit=2");
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("bb"));
        await kube.DeleteAsync($"{Objects.ConfigMaps}/e");
        var second = await kube.GetAsync($"{Objects.ConfigMaps}?limit=2&continue={Uri.EscapeDataString(first.Text("metadata.continue")!)}");
        var third = await kube.GetAsync($"{Objects.ConfigMaps}?limit=2&continue={Uri.EscapeDataString(second.Text("metadata.continue")!)}");

        Assert.Equal("a,b", Names(first));
        Assert.Equal("3", first.Text("metadata.remainingItemCount"));
        Assert.Equal("c,d", Names(second));
        Assert.Equal("1", second.Text("metadata.remainingItemCount"));
        Assert.Equal("e", Names(third));
        Assert.Null(third.Text("metadata.continue"));
        Assert.Equal(first.Text("metadata.resourceVersion"), third.Text("metadata.resourceVersion"));
    }

    [Fact]
    public async Task Continue_token_from_a_compacted_resourceVersion_returns_410_Expired()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        for (var i = 0; i < 3; i++)
        {
            await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap($"cm{i}"));
        }

        var first = await kube.GetAsync($"{Objects.ConfigMaps}?limit=1");
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("later"));
        cluster.Server.Compact();
        var next = await kube.GetAsync($"{Objects.ConfigMaps}?limit=1&continue={Uri.EscapeDataString(first.Text("metadata.continue")!)}");

        StatusAssert.Failure(next, 410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
    }

    [Fact]
    public async Task Garbage_continue_token_returns_400()
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.Kube.GetAsync($"{Objects.ConfigMaps}?limit=1&continue=not-a-token");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Pages_with_a_label_selector_do_not_report_remainingItemCount()
    {
        await using var cluster = await TestCluster.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap($"cm{i}", new() { ["app"] = "x" }));
        }

        var page = await cluster.Kube.GetAsync($"{Objects.ConfigMaps}?limit=2&labelSelector=app%3Dx");

        Assert.Equal("cm0,cm1", Names(page));
        Assert.NotNull(page.Text("metadata.continue"));
        Assert.Null(page.Text("metadata.remainingItemCount"));
    }

    private static string Names(ApiResponse response) =>
        string.Join(",", response.Object["items"]!.AsArray().Select(i => Json.Read(i, "metadata.name")));
}
