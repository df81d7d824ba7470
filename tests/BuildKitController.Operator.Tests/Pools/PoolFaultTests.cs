using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Operator.Tests.Pools;

/// <summary>
/// Injected API failures during reconciliation still converge to the same objects, with no duplicate worker: the
/// controller retries with backoff, and its scaling expectations keep a lagging cache from creating a second batch.
/// </summary>
public sealed class PoolFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool Converged(BuildKitPool? pool, int idle) =>
        pool?.Status?.Workers?.Idle == idle && pool.Status.Gateway?.Ready == true
        && pool.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == ConditionStatus.True) == true;

    private static int WorkerCreations(FakeApiServer server) =>
        server.RequestLog.Entries.Count(e => e.Method == "POST" && e.Path.EndsWith("/buildkitworkers", StringComparison.Ordinal) && e.StatusCode == 201);

    private static async Task AssertConvergedObjectsAsync(PoolHarness h, int workers)
    {
        var list = await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count == workers && l.All(w => w.Status?.Phase == WorkerPhases.Idle));
        Assert.Equal(workers, list.Count);
        Assert.Equal(workers, WorkerCreations(h.Server));
        Assert.NotNull(await h.Client.For<Deployment>().TryGetAsync("default", "ci-gateway", Ct));
        Assert.NotNull(await h.Client.For<Service>().TryGetAsync("default", "ci", Ct));
        Assert.NotNull(await h.Client.For<ConfigMap>().TryGetAsync("default", "ci-config", Ct));
        foreach (var secret in new[] { "ci-ca", "ci-tls", "ci-client-certs", "ci-worker-tls" })
        {
            Assert.NotNull(await h.Client.For<Secret>().TryGetAsync("default", secret, Ct));
        }
    }

    [Fact]
    public async Task Server_errors_conflicts_and_throttling_during_reconciliation_converge_without_duplicate_workers()
    {
        await using var h = await PoolHarness.StartAsync(startControllers: false);
        var faults = h.Server.Faults;

        // Enough failures to outlast the client's own retries (5), so reconciles fail and the controller backs off
        // per key (exponentially, so a handful of failed reconciles, not dozens).
        var rules = new[]
        {
            faults.FailNext(7, 500, r => r.Resource == "buildkitworkers" && r.Verb == "create"),
            faults.FailNext(7, 429, r => r.Resource == "deployments" && r.Verb == "patch", retryAfter: TimeSpan.FromMilliseconds(50)),
            faults.FailNext(2, 409, r => r.Resource == "secrets" && r.Verb == "patch"),
            faults.FailNext(7, 500, r => r.Resource == "buildkitpools" && r.Subresource == "status"),
            faults.FailNext(2, 409, r => r.Resource == "buildkitpools" && r.Verb == "update"),
        };

        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 3 } });
        h.StartControllers();

        await h.WaitForAsync<BuildKitPool>("default", "ci", p => Converged(p, 3));
        Assert.All(rules, r => Assert.Equal(0, r.Remaining));
        await AssertConvergedObjectsAsync(h, 3);
    }

    [Fact]
    public async Task Dropped_watches_and_forced_410_gone_during_reconciliation_converge_without_duplicate_workers()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 3 } });

        // Break every watch (and expire the history they would resume from) each time a worker is created.
        for (var i = 0; i < 3; i++)
        {
            await h.Server.RequestLog.WaitForAsync(e => e.Method == "POST" && e.Path.EndsWith("/buildkitworkers", StringComparison.Ordinal) && WorkerCreations(h.Server) > i, Ct);
            h.Server.Faults.CompactHistory();
            h.Server.Faults.DropWatches();
        }

        await h.WaitForAsync<BuildKitPool>("default", "ci", p => Converged(p, 3));
        await AssertConvergedObjectsAsync(h, 3);
    }

    [Fact]
    public async Task A_restarted_controller_adopts_existing_objects_without_rewriting_them()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 2 } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => Converged(p, 2));
        await h.StopControllersAsync();

        var before = h.Server.RequestLog.Entries.Count;
        var deployment = await h.Client.For<Deployment>().GetAsync("default", "ci-gateway", Ct);
        h.StartControllers();

        // The restarted controller syncs, reconciles the pool, and finds nothing to change.
        var reconciled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Pools!.Controller.Reconciled += (_, done) =>
        {
            if (done.Key.Name == "ci" && done.Outcome != "error")
            {
                reconciled.TrySetResult();
            }
        };
        await reconciled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var writes = h.Server.RequestLog.Entries.Skip(before).Where(e => e.Method is "POST" or "PUT" or "PATCH" or "DELETE").ToList();
        Assert.DoesNotContain(writes, e => !e.Path.Contains("/events", StringComparison.Ordinal));
        var again = await h.Client.For<Deployment>().GetAsync("default", "ci-gateway", Ct);
        Assert.Equal(deployment.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        Assert.Equal(2, (await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items.Count);
    }
}
