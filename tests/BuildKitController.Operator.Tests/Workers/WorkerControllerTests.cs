using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Operator.Workers;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Operator.Tests.Workers;

public sealed class WorkerControllerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(FakeApiServer Server, KubernetesClient Client)> StartAsync()
    {
        var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { SimulateKubelet = true }, Ct);
        await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), Ct);
        var client = new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()));
        return (server, client);
    }

    /// <summary>Follows the worker until <paramref name="done"/> holds (or it is deleted, when <paramref name="done"/> is null).</summary>
    private static async Task<BuildKitWorker?> WaitForWorkerAsync(KubernetesClient client, string name, Func<BuildKitWorker, bool>? done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var workers = client.For<BuildKitWorker>();
        var current = await workers.TryGetAsync("default", name, timeout.Token);
        if (done is null ? current is null : current is not null && done(current))
        {
            return current;
        }

        await foreach (var change in workers.WatchAsync("default", new WatchOptions { ResourceVersion = current?.Metadata.ResourceVersion, FieldSelector = $"metadata.name={name}" }, timeout.Token))
        {
            if (done is null && change.Type == WatchEventType.Deleted)
            {
                return null;
            }

            if (done is not null && change.Type is WatchEventType.Added or WatchEventType.Modified && done(change.Object))
            {
                return change.Object;
            }
        }

        throw new InvalidOperationException("the watch ended");
    }

    [Fact]
    public async Task A_worker_gets_a_pod_becomes_idle_then_allocated_and_is_cleaned_up_on_delete()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        await client.For<BuildKitPool>().CreateAsync(new BuildKitPool { Metadata = new ObjectMeta { Name = "ci", Namespace = "default" } }, Ct);
        await client.For<BuildKitWorker>().CreateAsync(new BuildKitWorker
        {
            Metadata = new ObjectMeta { Name = "ci-worker-1", Namespace = "default", Labels = new() { ["buildkit.smrt-devops.net/pool"] = "ci" } },
            Spec = new BuildKitWorkerSpec { PoolRef = new PoolReference { Name = "ci" } },
        }, Ct);
        var controller = new WorkerController(client, TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = controller.RunAsync(stop.Token);

        var idle = await WaitForWorkerAsync(client, "ci-worker-1", w => w.Status?.Phase == WorkerPhases.Idle);
        Assert.Contains(BuildKitWorker.Finalizer, idle!.Metadata.Finalizers!);
        Assert.StartsWith("tcp://127.0.", idle.Status!.Endpoint, StringComparison.Ordinal);
        Assert.EndsWith(":1234", idle.Status.Endpoint, StringComparison.Ordinal);
        Assert.NotNull(idle.Status.ReadyAt);
        var pod = await client.For<Pod>().GetAsync("default", "ci-worker-1", Ct);
        Assert.Equal("ci", pod.Metadata.Labels!["buildkit.smrt-devops.net/pool"]);
        Assert.Equal(idle.Metadata.Uid, Assert.Single(pod.Metadata.OwnerReferences!).Uid);

        // Allocate: the phase follows, and the pod is protected from autoscaler disruption.
        idle.Spec.Allocation = new WorkerAllocation { JobId = "job-1", TokenHash = new string('a', 64), AllocatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) };
        await client.For<BuildKitWorker>().UpdateAsync(idle, Ct);
        var allocated = await WaitForWorkerAsync(client, "ci-worker-1", w => w.Status?.Phase == WorkerPhases.Allocated);
        pod = await client.For<Pod>().GetAsync("default", "ci-worker-1", Ct);
        Assert.Equal("true", pod.Metadata.Annotations!["karpenter.sh/do-not-disrupt"]);

        // One failing readiness probe does not fail an allocated worker.
        server.SetPodReady("default", "ci-worker-1", ready: false);
        var notReady = await WaitForWorkerAsync(client, "ci-worker-1", w => w.Status?.Message?.Contains("readiness", StringComparison.Ordinal) == true);
        Assert.Equal(WorkerPhases.Allocated, notReady!.Status!.Phase);

        // Deleting the worker removes its pod, then the finalizer, then the worker.
        await client.For<BuildKitWorker>().DeleteAsync("default", "ci-worker-1", null, Ct);
        Assert.Null(await WaitForWorkerAsync(client, "ci-worker-1", done: null));
        Assert.Null(await client.For<Pod>().TryGetAsync("default", "ci-worker-1", Ct));
        Assert.NotNull(allocated);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task A_worker_whose_pool_is_missing_is_failed_and_an_expired_allocation_deletes_the_worker()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        await client.For<BuildKitWorker>().CreateAsync(new BuildKitWorker
        {
            Metadata = new ObjectMeta { Name = "orphan", Namespace = "default" },
            Spec = new BuildKitWorkerSpec { PoolRef = new PoolReference { Name = "nope" } },
        }, Ct);
        await client.For<BuildKitPool>().CreateAsync(new BuildKitPool { Metadata = new ObjectMeta { Name = "ci", Namespace = "default" } }, Ct);
        await client.For<BuildKitWorker>().CreateAsync(new BuildKitWorker
        {
            Metadata = new ObjectMeta { Name = "expired", Namespace = "default" },
            Spec = new BuildKitWorkerSpec
            {
                PoolRef = new PoolReference { Name = "ci" },
                Allocation = new WorkerAllocation { JobId = "old", AllocatedAt = DateTimeOffset.UtcNow.AddHours(-2), ExpiresAt = DateTimeOffset.UtcNow.AddHours(-1) },
            },
        }, Ct);
        var controller = new WorkerController(client, TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = controller.RunAsync(stop.Token);

        var orphan = await WaitForWorkerAsync(client, "orphan", w => w.Status?.Phase == WorkerPhases.Failed);
        Assert.Contains("pool not found", orphan!.Status!.Message, StringComparison.Ordinal);
        Assert.Null(await WaitForWorkerAsync(client, "expired", done: null));

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task Idle_allocations_are_reclaimed_while_live_connections_keep_theirs_even_past_expiry()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var now = DateTimeOffset.UtcNow;
        await client.For<BuildKitPool>().CreateAsync(new BuildKitPool
        {
            Metadata = new ObjectMeta { Name = "ci", Namespace = "default" },
            Spec = new BuildKitPoolSpec { Scaling = new ScalingConfig { ScaleDownDelay = "10m" } },
        }, Ct);
        async Task CreateAsync(string name, TimeSpan expiresIn, int connections)
        {
            var created = await client.For<BuildKitWorker>().CreateAsync(new BuildKitWorker
            {
                Metadata = new ObjectMeta { Name = name, Namespace = "default" },
                Spec = new BuildKitWorkerSpec
                {
                    PoolRef = new PoolReference { Name = "ci" },
                    Allocation = new WorkerAllocation { JobId = name, TokenHash = new string('b', 64), AllocatedAt = now.AddMinutes(-30), ExpiresAt = now + expiresIn },
                },
            }, Ct);
            await client.For<BuildKitWorker>().UpdateStatusAsync(created with
            {
                Status = new BuildKitWorkerStatus { ActiveConnections = connections, LastActivityAt = now.AddMinutes(-20) },
            }, Ct);
        }

        await CreateAsync("forgotten", TimeSpan.FromHours(1), connections: 0);
        await CreateAsync("silent-build", TimeSpan.FromHours(1), connections: 1);
        await CreateAsync("finishing", -TimeSpan.FromMinutes(1), connections: 2);
        var controller = new WorkerController(client, TimeProvider.System);
        var reconciled = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var bothSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        controller.Controller.Reconciled += (_, e) =>
        {
            reconciled.AddOrUpdate(e.Key.Name, 1, (_, n) => n + 1);
            if (reconciled.ContainsKey("silent-build") && reconciled.ContainsKey("finishing"))
            {
                bothSeen.TrySetResult();
            }
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = controller.RunAsync(stop.Token);

        // No connection and no traffic for 20 minutes against a 10-minute idle timeout: reclaimed long before the TTL.
        Assert.Null(await WaitForWorkerAsync(client, "forgotten", done: null));

        // A silent build keeps its connection open; an expired allocation with live connections gets its grace period.
        await bothSeen.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.NotNull(await client.For<BuildKitWorker>().TryGetAsync("default", "silent-build", Ct));
        Assert.NotNull(await client.For<BuildKitWorker>().TryGetAsync("default", "finishing", Ct));

        // Once the last connection of the expired allocation closes, it ends.
        while (true)
        {
            var finishing = await client.For<BuildKitWorker>().GetAsync("default", "finishing", Ct);
            try
            {
                await client.For<BuildKitWorker>().UpdateStatusAsync(finishing with { Status = finishing.Status! with { ActiveConnections = 0 } }, Ct);
                break;
            }
            catch (KubernetesConflictException)
            {
                // The worker reconciler wrote its status in between: read again.
            }
        }

        Assert.Null(await WaitForWorkerAsync(client, "finishing", done: null));
        Assert.NotNull(await client.For<BuildKitWorker>().TryGetAsync("default", "silent-build", Ct));

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}
