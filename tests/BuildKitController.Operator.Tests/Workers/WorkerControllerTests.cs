using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
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

}
