using System.Globalization;
using System.Net;
using BuildKitController.Testing.FakeKubernetes;
using BuildKitController.Testing.Time;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_without_resourceVersion_sends_current_objects_as_ADDED_then_live_events()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("existing"));

        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=true");
        var initial = await watch.NextAsync();
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("new"));
        var live = await watch.NextAsync();

        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        Assert.Equal("application/json", watch.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(("ADDED", "existing"), (initial!.Type, initial.Name));
        Assert.Equal(("ADDED", "new"), (live!.Type, live.Name));
        Assert.Equal("ConfigMap", Json.Read(live.Object, "kind"));
    }

    [Fact]
    public async Task Watch_from_a_resourceVersion_replays_history_after_it()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        var created = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        await kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/merge-patch+json", """{"data":{"key":"2"}}""");
        await kube.DeleteAsync($"{Objects.ConfigMaps}/cm");

        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion={Json.Read(created, "metadata.resourceVersion")}");
        var modified = await watch.NextAsync();
        var deleted = await watch.NextAsync();

        Assert.Equal(("MODIFIED", "2"), (modified!.Type, Json.Read(modified.Object, "data.key")));
        Assert.Equal("DELETED", deleted!.Type);
        Assert.Equal("2", Json.Read(deleted.Object, "data.key"));
        Assert.True(long.Parse(deleted.ResourceVersion!, CultureInfo.InvariantCulture) > long.Parse(modified.ResourceVersion!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_from_a_compacted_resourceVersion_answers_200_with_one_410_ERROR_event()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("a"));
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("b"));
        cluster.Server.Compact();

        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion=1");
        var error = await watch.NextAsync();
        var end = await watch.NextAsync();

        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        Assert.Equal("ERROR", error!.Type);
        Assert.Equal("Status", Json.Read(error.Object, "kind"));
        Assert.Equal("410", Json.Read(error.Object, "code"));
        Assert.Equal("Expired", Json.Read(error.Object, "reason"));
        Assert.Equal($"too old resource version: 1 ({cluster.Server.CurrentResourceVersion})", Json.Read(error.Object, "message"));
        Assert.Null(end);
    }

    [Fact]
    public async Task History_window_limit_makes_old_versions_too_old()
    {
        await using var cluster = await TestCluster.StartAsync(new FakeApiServerOptions { HistoryLimit = 2 });
        var kube = cluster.Kube;
        var first = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("a"));
        for (var i = 0; i < 3; i++)
        {
            await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap($"n{i}"));
        }

        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion={Json.Read(first, "metadata.resourceVersion")}");

        Assert.Equal("ERROR", (await watch.NextAsync())!.Type);
    }

    [Fact]
    public async Task Label_selector_transitions_produce_ADDED_and_DELETED()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm", new() { ["app"] = "other" }));
        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion={cluster.Server.CurrentResourceVersion}&labelSelector=app%3Dweb");

        await kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/merge-patch+json", """{"metadata":{"labels":{"app":"web"}}}""");
        var added = await watch.NextAsync();
        await kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/merge-patch+json", """{"data":{"key":"x"}}""");
        var modified = await watch.NextAsync();
        var leaving = await kube.PatchAsync($"{Objects.ConfigMaps}/cm", "application/merge-patch+json", """{"metadata":{"labels":{"app":"gone"}}}""");
        var deleted = await watch.NextAsync();

        Assert.Equal("ADDED", added!.Type);
        Assert.Equal("MODIFIED", modified!.Type);
        Assert.Equal("DELETED", deleted!.Type);
        Assert.Equal("web", Json.Read(deleted.Object, "metadata.labels.app"));
        Assert.Equal(leaving.Text("metadata.resourceVersion"), deleted.ResourceVersion);
    }

    [Fact]
    public async Task Namespaced_watch_sees_only_its_namespace_and_field_selectors_apply()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync("/api/v1/namespaces", Json.Parse("""{"metadata":{"name":"other"}}"""));
        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&fieldSelector=metadata.name%3Dwanted");

        await kube.CreateAsync("/api/v1/namespaces/other/configmaps", Objects.ConfigMap("wanted"));
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("unwanted"));
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("wanted"));
        var only = await watch.NextAsync();

        Assert.Equal(("ADDED", "wanted", "default"), (only!.Type, only.Name, Json.Read(only.Object, "metadata.namespace")));
    }

    [Fact]
    public async Task Bookmarks_are_sent_on_demand_and_periodically_when_allowed()
    {
        var time = new ManualTimeProvider();
        await using var cluster = await TestCluster.StartAsync(new FakeApiServerOptions { TimeProvider = time, BookmarkInterval = TimeSpan.FromSeconds(30) });
        var kube = cluster.Kube;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion={cluster.Server.CurrentResourceVersion}&allowWatchBookmarks=true");
        using var plain = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion={cluster.Server.CurrentResourceVersion}");

        cluster.Server.SendBookmarks();
        var onDemand = await watch.NextAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        var periodic = await watch.NextAsync();
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("after"));
        var plainEvent = await plain.NextAsync();

        Assert.Equal("BOOKMARK", onDemand!.Type);
        Assert.Equal(cluster.Server.CurrentResourceVersion - 1, long.Parse(onDemand.ResourceVersion!, CultureInfo.InvariantCulture));
        Assert.Equal("ConfigMap", Json.Read(onDemand.Object, "kind"));
        Assert.Equal("v1", Json.Read(onDemand.Object, "apiVersion"));
        Assert.Null(onDemand.Name);
        Assert.Equal("BOOKMARK", periodic!.Type);
        Assert.Equal(("ADDED", "after"), (plainEvent!.Type, plainEvent.Name));
    }

    [Fact]
    public async Task SendInitialEvents_ends_the_initial_list_with_an_annotated_bookmark()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kube = cluster.Kube;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        using var watch = await kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan");
        var added = await watch.NextAsync();
        var bookmark = await watch.NextAsync();

        Assert.Equal("ADDED", added!.Type);
        Assert.Equal("BOOKMARK", bookmark!.Type);
        Assert.Equal("true", (string?)bookmark.Object["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task TimeoutSeconds_makes_the_server_end_the_stream()
    {
        var time = new ManualTimeProvider();
        await using var cluster = await TestCluster.StartAsync(new FakeApiServerOptions { TimeProvider = time, BookmarkInterval = Timeout.InfiniteTimeSpan });
        using var watch = await cluster.Kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&timeoutSeconds=60");

        await time.WaitForTimersAsync(1, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Server_shutdown_closes_open_watch_streams()
    {
        var cluster = await TestCluster.StartAsync();
        using var watch = await cluster.Kube.WatchAsync($"{Objects.ConfigMaps}?watch=1");
        await cluster.Server.RequestLog.WaitForAsync(e => e.PathAndQuery.Contains("watch=1", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        await cluster.DisposeAsync();

        Assert.Null(await watch.NextAsync());
    }
}
