using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Tests.Support;
using BuildKitController.Testing.Time;

namespace BuildKitController.Kubernetes.Tests.Client;

public sealed class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConfigMap NewConfigMap(string name) => new() { Metadata = new ObjectMeta { Name = name, Namespace = "default" } };

    [Fact]
    public async Task Reads_are_retried_after_server_errors()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await configMaps.CreateAsync(NewConfigMap("a"), Ct);
        var fault = cluster.Server.Faults.FailNext(2, 500, r => r.Verb == "get");

        var read = await configMaps.GetAsync("default", "a", Ct);

        Assert.Equal("a", read.Metadata.Name);
        Assert.Equal(2, fault.Hits);
    }

    [Fact]
    public async Task A_create_is_not_retried_after_a_500_because_it_may_have_happened()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var fault = cluster.Server.Faults.FailNext(1, 500, r => r.Verb == "create");

        var error = await Assert.ThrowsAsync<KubernetesServerException>(() => configMaps.CreateAsync(NewConfigMap("a"), Ct));

        Assert.Equal(500, error.Status.Code);
        Assert.Equal(1, fault.Hits);
        Assert.Single(cluster.Server.RequestLog.Entries, e => e.Method == "POST");
    }

    [Fact]
    public async Task Throttled_writes_are_retried_and_Retry_After_is_honoured()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var configMaps = cluster.CreateClient(new KubernetesClientOptions { QueriesPerSecond = 0, RetryBaseDelay = TimeSpan.FromMilliseconds(1) }, time).For<ConfigMap>();
        cluster.Server.Faults.FailNext(1, 429, r => r.Verb == "create", retryAfter: TimeSpan.FromSeconds(3));

        var creating = configMaps.CreateAsync(NewConfigMap("a"), Ct);
        await time.WaitForTimersAsync(1, Ct);

        time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.False(creating.IsCompleted);
        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "default", "a"));

        time.Advance(TimeSpan.FromMilliseconds(1));
        var created = await creating.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("a", created.Metadata.Name);
        Assert.Equal(2, cluster.Server.RequestLog.Entries.Count(e => e.Method == "POST"));
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_retried_for_any_verb()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        cluster.Server.Faults.FailNext(1, 503, r => r.Verb == "create", retryAfter: TimeSpan.Zero);

        await configMaps.CreateAsync(NewConfigMap("a"), Ct);

        Assert.NotNull(cluster.Server.Get(ConfigMap.Resource, "default", "a"));
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var options = FakeCluster.FastOptions();
        options.MaxRetries = 2;
        var configMaps = cluster.CreateClient(options).For<ConfigMap>();
        var fault = cluster.Server.Faults.FailNext(10, 503, r => r.Verb == "list");

        await Assert.ThrowsAsync<KubernetesServerException>(() => configMaps.ListAsync("default", null, Ct));

        Assert.Equal(3, fault.Hits);
    }

    [Fact]
    public async Task A_dropped_connection_on_a_read_is_retried()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var fault = cluster.Server.Faults.CloseConnectionNext(1, r => r.Verb == "list");

        var list = await configMaps.ListAsync("default", null, Ct);

        Assert.Empty(list.Items);
        Assert.Equal(1, fault.Hits);
    }

    [Fact]
    public async Task Client_side_rate_limit_spaces_requests_beyond_the_burst()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var configMaps = cluster.CreateClient(new KubernetesClientOptions { QueriesPerSecond = 2, Burst = 1 }, time).For<ConfigMap>();

        await configMaps.ListAsync("default", null, Ct);
        var second = configMaps.ListAsync("default", null, Ct);
        await time.WaitForTimersAsync(1, Ct);
        Assert.False(second.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(500));
        await second.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}
