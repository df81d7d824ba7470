using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Tests.Support;
using BuildKitController.Kubernetes.Watching;

namespace BuildKitController.Kubernetes.Tests.Watching;

public sealed class WatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConfigMap NewConfigMap(string name) => new() { Metadata = new ObjectMeta { Name = name, Namespace = "default" } };

    private static async Task<WatchEvent<ConfigMap>> NextAsync(IAsyncEnumerator<WatchEvent<ConfigMap>> events, Func<WatchEvent<ConfigMap>, bool>? match = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
        {
            if (match is null || match(events.Current))
            {
                return events.Current;
            }
        }

        throw new InvalidOperationException("the watch ended");
    }

    [Fact]
    public async Task Events_arrive_in_order_from_the_given_resourceVersion()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var start = (await configMaps.ListAsync("default", null, Ct)).Metadata.ResourceVersion;
        await using var events = configMaps.WatchAsync("default", new WatchOptions { ResourceVersion = start }, Ct).GetAsyncEnumerator(Ct);

        var created = await configMaps.CreateAsync(NewConfigMap("a"), Ct);
        created.Data = new() { ["k"] = "v" };
        await configMaps.UpdateAsync(created, Ct);
        await configMaps.DeleteAsync("default", "a", null, Ct);

        Assert.Equal(WatchEventType.Added, (await NextAsync(events)).Type);
        var modified = await NextAsync(events);
        Assert.Equal(WatchEventType.Modified, modified.Type);
        Assert.Equal("v", modified.Object.Data!["k"]);
        Assert.Equal(WatchEventType.Deleted, (await NextAsync(events)).Type);
    }

    [Fact]
    public async Task A_dropped_stream_resumes_from_the_last_version_without_losing_or_repeating_events()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var start = (await configMaps.ListAsync("default", null, Ct)).Metadata.ResourceVersion;
        await using var events = configMaps.WatchAsync("default", new WatchOptions { ResourceVersion = start }, Ct).GetAsyncEnumerator(Ct);
        await configMaps.CreateAsync(NewConfigMap("before"), Ct);
        Assert.Equal("before", (await NextAsync(events)).Object.Metadata.Name);

        // Hold reconnection until the next object exists, so it can only arrive through the resumed stream.
        // The consumer is waiting for the next event while the stream breaks.
        var reconnect = cluster.Server.Faults.Hold(r => r.IsWatch, count: 1);
        var next = NextAsync(events);
        Assert.Equal(1, cluster.Server.Faults.DropWatches());
        await reconnect.WaitForHeldAsync(1, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await configMaps.CreateAsync(NewConfigMap("during"), Ct);
        reconnect.Release();
        await configMaps.CreateAsync(NewConfigMap("after"), Ct);

        var names = new List<string?> { (await next).Object.Metadata.Name, (await NextAsync(events)).Object.Metadata.Name };
        Assert.Equal(["during", "after"], names);
        var watches = cluster.Server.RequestLog.Entries.Where(e => e.PathAndQuery.Contains("watch=1", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, watches.Count);
        Assert.Contains("resourceVersion=", watches[1].PathAndQuery, StringComparison.Ordinal);
        Assert.NotEqual(watches[0].PathAndQuery, watches[1].PathAndQuery);
    }

    [Fact]
    public async Task Bookmarks_move_the_resume_point()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var start = (await configMaps.ListAsync("default", null, Ct)).Metadata.ResourceVersion;
        await using var events = configMaps.WatchAsync("default", new WatchOptions { ResourceVersion = start }, Ct).GetAsyncEnumerator(Ct);
        await configMaps.CreateAsync(NewConfigMap("probe"), Ct);
        await NextAsync(events);

        // Something changes elsewhere: the bookmark carries the newer version.
        await cluster.CreateClient().For<Secret>().CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "s", Namespace = "default" } }, Ct);
        cluster.Server.SendBookmarks();

        var bookmark = await NextAsync(events, e => e.Type == WatchEventType.Bookmark);
        Assert.Equal(cluster.Server.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark.ResourceVersion);
    }

    [Fact]
    public async Task A_version_older_than_the_history_window_surfaces_as_Gone()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var old = (await configMaps.ListAsync("default", null, Ct)).Metadata.ResourceVersion;
        await configMaps.CreateAsync(NewConfigMap("a"), Ct);
        cluster.Server.Compact();

        await using var events = configMaps.WatchAsync("default", new WatchOptions { ResourceVersion = old }, Ct).GetAsyncEnumerator(Ct);

        await Assert.ThrowsAsync<KubernetesGoneException>(() => NextAsync(events));
    }

    [Fact]
    public async Task A_stream_closed_by_the_server_timeout_is_reopened()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var start = (await configMaps.ListAsync("default", null, Ct)).Metadata.ResourceVersion;
        await using var events = configMaps.WatchAsync("default", new WatchOptions { ResourceVersion = start, Timeout = TimeSpan.FromSeconds(1) }, Ct).GetAsyncEnumerator(Ct);
        var pending = NextAsync(events);

        // The server ends the first stream after a second (its log entry is written then); an object created
        // afterwards can only arrive through a reopened stream.
        var firstWatch = await cluster.Server.RequestLog.WaitForAsync(e => e.PathAndQuery.Contains("watch=1", StringComparison.Ordinal), Ct)
            .WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Contains("timeoutSeconds=1", firstWatch.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("allowWatchBookmarks=true", firstWatch.PathAndQuery, StringComparison.Ordinal);
        await configMaps.CreateAsync(NewConfigMap("late"), Ct);

        Assert.Equal("late", (await pending).Object.Metadata.Name);
    }
}
