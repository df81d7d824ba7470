using System.Net;
using BuildKitController.Testing.FakeKubernetes;
using BuildKitController.Testing.Time;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task FailNext_with_429_sends_Retry_After_and_retryAfterSeconds_then_recovers()
    {
        await using var cluster = await TestCluster.StartAsync();
        var rule = cluster.Server.Faults.FailNext(2, 429, r => r is { Verb: "list", Resource: "configmaps" }, TimeSpan.FromSeconds(3));

        var first = await cluster.Kube.GetAsync(Objects.ConfigMaps);
        var other = await cluster.Kube.GetAsync(Objects.Pods);
        var second = await cluster.Kube.GetAsync(Objects.ConfigMaps);
        var third = await cluster.Kube.GetAsync(Objects.ConfigMaps);

        StatusAssert.Failure(first, 429, "TooManyRequests", "Too many requests, please try again later.");
        Assert.Equal("3", first.Text("details.retryAfterSeconds"));
        Assert.Equal(TimeSpan.FromSeconds(3), first.Message.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal(2, rule.Hits);
        Assert.Equal(0, rule.Remaining);
    }

    [Fact]
    public async Task FailNext_with_503_and_409_use_the_real_reasons()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        cluster.Server.Faults.FailNext(1, 503, r => r.Verb == "get", TimeSpan.FromSeconds(1));
        cluster.Server.Faults.FailNext(1, 409, r => r.Verb == "update");

        var unavailable = await cluster.Kube.GetAsync($"{Objects.ConfigMaps}/cm");
        var conflict = await cluster.Kube.PutAsync($"{Objects.ConfigMaps}/cm", Objects.ConfigMap("cm"));

        StatusAssert.Failure(unavailable, 503, "ServiceUnavailable", "");
        Assert.Equal("1", unavailable.Text("details.retryAfterSeconds"));
        StatusAssert.Failure(conflict, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"cm\": the object has been modified");
    }

    [Fact]
    public async Task Hold_parks_requests_until_the_gate_is_released()
    {
        await using var cluster = await TestCluster.StartAsync();
        var gate = cluster.Server.Faults.Hold(r => r.Verb == "create");

        var pending = cluster.Kube.PostAsync(Objects.ConfigMaps, Objects.ConfigMap("held"));
        await gate.WaitForHeldAsync(1, TestContext.Current.CancellationToken);
        var notYet = cluster.Server.Get(Kubernetes.Models.CoreV1.ConfigMap.Resource, "default", "held");
        gate.Release();
        var response = await pending;

        Assert.Null(notYet);
        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Fact]
    public async Task Delay_waits_on_the_servers_time_provider()
    {
        var time = new ManualTimeProvider();
        await using var cluster = await TestCluster.StartAsync(new FakeApiServerOptions { TimeProvider = time, BookmarkInterval = Timeout.InfiniteTimeSpan });
        cluster.Server.Faults.Delay(TimeSpan.FromSeconds(30), r => r.Verb == "list", count: 1);

        var pending = cluster.Kube.GetAsync(Objects.ConfigMaps);
        await time.WaitForTimersAsync(1, TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, (await pending).Status);
    }

    [Fact]
    public async Task CloseConnectionNext_drops_the_connection_without_a_response()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.CloseConnectionNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => cluster.Kube.GetAsync(Objects.ConfigMaps));
        var after = await cluster.Kube.GetAsync(Objects.ConfigMaps);

        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Contains(cluster.Server.RequestLog.Entries, e => e.StatusCode == 0);
    }

    [Fact]
    public async Task DropWatches_aborts_open_streams_mid_stream()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        using var watch = await cluster.Kube.WatchAsync($"{Objects.ConfigMaps}?watch=1");
        Assert.Equal("ADDED", (await watch.NextAsync())!.Type);

        var dropped = cluster.Server.Faults.DropWatches();

        Assert.Equal(1, dropped);
        await Assert.ThrowsAnyAsync<IOException>(() => watch.NextAsync());
    }

    [Fact]
    public async Task CompactHistory_forces_410_for_older_watches()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm2"));

        cluster.Server.Faults.CompactHistory();
        using var old = await cluster.Kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion={Json.Read(created, "metadata.resourceVersion")}");
        using var current = await cluster.Kube.WatchAsync($"{Objects.ConfigMaps}?watch=1&resourceVersion={cluster.Server.CurrentResourceVersion}");
        await cluster.Kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm3"));

        var live = await current.NextAsync();

        Assert.Equal("ERROR", (await old.NextAsync())!.Type);
        Assert.Equal(("ADDED", "cm3"), (live!.Type, live.Name));
    }

    [Fact]
    public async Task Clear_disarms_every_rule()
    {
        await using var cluster = await TestCluster.StartAsync();
        var rule = cluster.Server.Faults.FailNext(5, 500);

        cluster.Server.Faults.Clear();

        Assert.Equal(HttpStatusCode.OK, (await cluster.Kube.GetAsync(Objects.ConfigMaps)).Status);
        Assert.Equal(0, rule.Hits);
    }

    [Fact]
    public async Task Injected_500_is_an_InternalError_Status()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.FailNext(1, 500, r => r.IsWatch == false);

        var response = await cluster.Kube.GetAsync(Objects.ConfigMaps);

        StatusAssert.Failure(response, 500, "InternalError", "Internal error occurred: injected fault");
    }
}
