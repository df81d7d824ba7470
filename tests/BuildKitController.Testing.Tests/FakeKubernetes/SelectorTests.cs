using System.Net;
using BuildKitController.Testing.FakeKubernetes.Selectors;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class SelectorTests
{
    private static async Task<TestCluster> SeededAsync()
    {
        var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("web", new() { ["app"] = "web", ["tier"] = "front" }));
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("api", new() { ["app"] = "api", ["tier"] = "back" }));
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("db", new() { ["app"] = "db" }));
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("plain"));
        return cluster;
    }

    [Theory]
    [InlineData("app=web", "web")]
    [InlineData("app==web", "web")]
    [InlineData("app!=web", "api,db,plain")]
    [InlineData("app in (web, api)", "api,web")]
    [InlineData("app notin (web,api)", "db,plain")]
    [InlineData("tier", "api,web")]
    [InlineData("!tier", "db,plain")]
    [InlineData("app,tier=back", "api")]
    [InlineData("app=nothing", "")]
    public async Task List_filters_by_label_selector(string selector, string expected)
    {
        await using var cluster = await SeededAsync();

        var response = await cluster.Kube.GetAsync($"{Objects.ConfigMaps}?labelSelector={Uri.EscapeDataString(selector)}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(expected, string.Join(",", response.Object["items"]!.AsArray().Select(i => Json.Read(i, "metadata.name"))));
    }

    [Theory]
    [InlineData("metadata.name=db", "db")]
    [InlineData("metadata.name==db", "db")]
    [InlineData("metadata.name!=db", "api,plain,web")]
    [InlineData("metadata.namespace=default,metadata.name!=web", "api,db,plain")]
    [InlineData("metadata.namespace=other", "")]
    public async Task List_filters_by_field_selector(string selector, string expected)
    {
        await using var cluster = await SeededAsync();

        var response = await cluster.Kube.GetAsync($"{Objects.ConfigMaps}?fieldSelector={Uri.EscapeDataString(selector)}");

        Assert.Equal(expected, string.Join(",", response.Object["items"]!.AsArray().Select(i => Json.Read(i, "metadata.name"))));
    }

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app=(x)")]
    [InlineData("!")]
    [InlineData("app=-bad-")]
    public async Task Invalid_label_selector_returns_400(string selector)
    {
        await using var cluster = await SeededAsync();

        var response = await cluster.Kube.GetAsync($"{Objects.ConfigMaps}?labelSelector={Uri.EscapeDataString(selector)}");

        StatusAssert.Failure(response, 400, "BadRequest", "");
    }

    [Fact]
    public async Task Unsupported_field_selector_returns_400_like_the_real_server()
    {
        await using var cluster = await SeededAsync();

        var response = await cluster.Kube.GetAsync($"{Objects.ConfigMaps}?fieldSelector=spec.foo%3Dbar");

        StatusAssert.Failure(response, 400, "BadRequest", "field label not supported: spec.foo");
    }

    [Fact]
    public async Task Pods_support_status_phase_field_selector()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.Pods, Objects.Pod("p"));

        var pending = await cluster.Kube.GetAsync($"{Objects.Pods}?fieldSelector=status.phase%3DPending");
        var running = await cluster.Kube.GetAsync($"{Objects.Pods}?fieldSelector=status.phase%3DRunning");

        Assert.Single(pending.Object["items"]!.AsArray());
        Assert.Empty(running.Object["items"]!.AsArray());
    }

    [Fact]
    public void Parser_understands_every_operator()
    {
        var selector = LabelSelectorQuery.Parse("a=1, b!=2, c in (3,4), d notin (5), e, !f, g>7, h<9");
        var labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "x", ["c"] = "4", ["d"] = "6", ["e"] = "", ["g"] = "8", ["h"] = "1" };

        Assert.Equal(8, selector.Requirements.Count);
        Assert.True(selector.Matches(labels));
        Assert.False(selector.Matches(new Dictionary<string, string>(labels) { ["f"] = "present" }));
        Assert.False(selector.Matches(new Dictionary<string, string>(labels) { ["g"] = "6" }));
    }
}
