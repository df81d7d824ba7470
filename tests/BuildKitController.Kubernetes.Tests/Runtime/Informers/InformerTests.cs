using System.Collections.Concurrent;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Kubernetes.Tests.Support;

namespace BuildKitController.Kubernetes.Tests.Runtime.Informers;

public sealed class InformerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConfigMap NewConfigMap(string name, string? app = "mine") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = app is null ? null : new() { ["app"] = app } },
    };

    /// <summary>Records handler calls and lets a test await a condition on them.</summary>
    private sealed class Recorder : IInformerHandler<ConfigMap>
    {
        private readonly Lock _lock = new();
        private readonly List<(Func<bool> Condition, TaskCompletionSource Signal)> _waiters = [];

        public ConcurrentQueue<string> Calls { get; } = new();

        public void OnAdd(ConfigMap value) => Record($"add:{value.Metadata.Name}");

        public void OnUpdate(ConfigMap previous, ConfigMap current) => Record($"update:{current.Metadata.Name}");

        public void OnDelete(ConfigMap value) => Record($"delete:{value.Metadata.Name}");

        public Task WaitAsync(Func<IReadOnlyCollection<string>, bool> condition)
        {
            lock (_lock)
            {
                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (condition(Calls))
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((() => condition(Calls), signal));
                return signal.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            }
        }

        private void Record(string call)
        {
            lock (_lock)
            {
                Calls.Enqueue(call);
                foreach (var waiter in _waiters.Where(w => w.Condition()).ToList())
                {
                    waiter.Signal.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    [Fact]
    public async Task Syncs_then_follows_changes_of_labelled_objects_only()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var client = cluster.CreateClient();
        var configMaps = client.For<ConfigMap>();
        await configMaps.CreateAsync(NewConfigMap("existing"), Ct);
        await configMaps.CreateAsync(NewConfigMap("foreign", app: "other"), Ct);
        var informer = new Informer<ConfigMap>(client, new InformerOptions { Namespace = "default", LabelSelector = "app=mine" });
        var recorder = new Recorder();
        informer.AddHandler(recorder);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(["existing"], informer.Cache.List().Select(c => c.Metadata.Name));

        await configMaps.CreateAsync(NewConfigMap("new"), Ct);
        await configMaps.DeleteAsync("default", "existing", null, Ct);
        await recorder.WaitAsync(calls => calls.Contains("delete:existing") && calls.Contains("add:new"));

        Assert.Equal(["new"], informer.Cache.List().Select(c => c.Metadata.Name));
        Assert.DoesNotContain(recorder.Calls, c => c.Contains("foreign", StringComparison.Ordinal));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Relists_after_410_and_delivers_what_changed_meanwhile()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var client = cluster.CreateClient();
        var configMaps = client.For<ConfigMap>();
        await configMaps.CreateAsync(NewConfigMap("stays"), Ct);
        await configMaps.CreateAsync(NewConfigMap("goes"), Ct);
        var informer = new Informer<ConfigMap>(client, new InformerOptions { Namespace = "default" });
        var recorder = new Recorder();
        informer.AddHandler(recorder);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await configMaps.CreateAsync(NewConfigMap("probe"), Ct);
        await recorder.WaitAsync(calls => calls.Contains("add:probe"));

        // Cut the watch, change things while it is away, and compact history so it cannot resume.
        var reconnect = cluster.Server.Faults.Hold(r => r.IsWatch, count: 1);
        cluster.Server.Faults.DropWatches();
        await reconnect.WaitForHeldAsync(1, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await configMaps.CreateAsync(NewConfigMap("arrived"), Ct);
        await configMaps.DeleteAsync("default", "goes", null, Ct);
        cluster.Server.Compact();
        reconnect.Release();

        await recorder.WaitAsync(calls => calls.Contains("add:arrived") && calls.Contains("delete:goes"));
        Assert.Equal(["arrived", "probe", "stays"], informer.Cache.List().Select(c => c.Metadata.Name).Order());
        Assert.Equal(2, informer.ListCount);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_failing_list_backs_off_and_recovers()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var client = cluster.CreateClient();
        await client.For<ConfigMap>().CreateAsync(NewConfigMap("a"), Ct);
        var options = new InformerOptions { Namespace = "default", InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5) };
        var informer = new Informer<ConfigMap>(client, options);
        var fault = cluster.Server.Faults.FailNext(1, 403, r => r.Verb == "list");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(1, fault.Hits);
        Assert.Single(informer.Cache.List());
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public void Custom_indexes_find_objects_by_derived_keys()
    {
        var cache = new ObjectCache<ConfigMap>();
        cache.AddIndex("app", c => c.Metadata.Labels?.TryGetValue("app", out var app) == true ? [app] : []);
        cache.Upsert(NewConfigMap("a", "x"));
        cache.Upsert(NewConfigMap("b", "x"));
        cache.Upsert(NewConfigMap("c", "y"));

        Assert.Equal(["a", "b"], cache.ByIndex("app", "x").Select(c => c.Metadata.Name).Order());

        cache.Upsert(NewConfigMap("b", "y"));
        Assert.Equal(["a"], cache.ByIndex("app", "x").Select(c => c.Metadata.Name));
        Assert.Equal(["b", "c"], cache.ByIndex("app", "y").Select(c => c.Metadata.Name).Order());

        cache.Remove(new ObjectKey("default", "c"));
        Assert.Equal(["b"], cache.ByIndex("app", "y").Select(c => c.Metadata.Name));
        Assert.Equal(2, cache.ListByNamespace("default").Count);
    }

    [Fact]
    public async Task Cached_objects_lose_managed_fields_and_go_through_the_transform_from_list_and_watch()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var client = cluster.CreateClient();
        var configMaps = client.For<ConfigMap>();
        await configMaps.CreateAsync(NewConfigMap("listed") with { Data = new() { ["big"] = "payload" } }, Ct);
        Assert.True((await configMaps.GetAsync("default", "listed", Ct)).Metadata.ExtensionData?.ContainsKey("managedFields"));
        var transformed = 0;
        var informer = new Informer<ConfigMap>(client, new InformerOptions { Namespace = "default" }, transform: c =>
        {
            Interlocked.Increment(ref transformed);
            return new ConfigMap { Metadata = c.Metadata };
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var recorder = new Recorder();
        informer.AddHandler(recorder);

        await configMaps.CreateAsync(NewConfigMap("watched") with { Data = new() { ["big"] = "payload" } }, Ct);
        await recorder.WaitAsync(calls => calls.Contains("add:watched"));

        foreach (var cached in informer.Cache.List())
        {
            Assert.Null(cached.Data);
            Assert.False(cached.Metadata.ExtensionData?.ContainsKey("managedFields") == true);
            Assert.NotNull(cached.Metadata.ResourceVersion);
        }

        Assert.Equal(2, informer.Cache.List().Count);
        Assert.Equal(2, Volatile.Read(ref transformed));
        Assert.Equal("payload", (await configMaps.GetAsync("default", "watched", Ct)).Data!["big"]);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Managed_fields_are_kept_when_asked_for()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var client = cluster.CreateClient();
        await client.For<ConfigMap>().CreateAsync(NewConfigMap("kept"), Ct);
        var informer = new Informer<ConfigMap>(client, new InformerOptions { Namespace = "default", KeepManagedFields = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(informer.Cache.Get(new ObjectKey("default", "kept"))!.Metadata.ExtensionData?.ContainsKey("managedFields"));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Cached_objects_share_their_repetitive_metadata_strings_unless_told_otherwise()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var client = cluster.CreateClient();
        await client.For<ConfigMap>().CreateAsync(NewConfigMap("one", app: "shared-value"), Ct);
        await client.For<ConfigMap>().CreateAsync(NewConfigMap("two", app: "shared-value"), Ct);
        var sharing = new Informer<ConfigMap>(client, new InformerOptions { Namespace = "default" });
        var owning = new Informer<ConfigMap>(client, new InformerOptions { Namespace = "default", KeepOwnStrings = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var runs = new[] { sharing.RunAsync(stop.Token), owning.RunAsync(stop.Token) };
        await Task.WhenAll(sharing.WaitForSyncAsync(Ct), owning.WaitForSyncAsync(Ct)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        ConfigMap Get(Informer<ConfigMap> informer, string name) => informer.Cache.Get(new ObjectKey("default", name))!;
        Assert.Same(Get(sharing, "one").Metadata.Labels!["app"], Get(sharing, "two").Metadata.Labels!["app"]);
        Assert.Same(Get(sharing, "one").Metadata.Namespace, Get(sharing, "two").Metadata.Namespace);
        Assert.Equal("shared-value", Get(owning, "one").Metadata.Labels!["app"]);
        Assert.NotSame(Get(owning, "one").Metadata.Labels!["app"], Get(owning, "two").Metadata.Labels!["app"]);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }
}
