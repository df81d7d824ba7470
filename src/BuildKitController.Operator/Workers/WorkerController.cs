using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Hosting;

namespace BuildKitController.Operator.Workers;

/// <summary>
/// The worker controller: informers on BuildKitWorkers, the worker pods (label-scoped, so no other pod is
/// cached) and pools, feeding <see cref="WorkerReconciler"/>. A pod change wakes its worker; a pool change wakes
/// the pool's workers.
/// </summary>
internal sealed class WorkerController : IManagedController
{
    public const string PoolIndex = "pool";

    private readonly Informer<BuildKitWorker> _workers;
    private readonly Informer<Pod> _pods;
    private readonly Informer<BuildKitPool> _pools;

    public WorkerController(KubernetesClient client, TimeProvider time, string? watchNamespace = null, PoolDefaultingOptions? defaults = null,
        ControllerOptions? options = null, ILoggerFactory? loggers = null)
    {
        _workers = new Informer<BuildKitWorker>(client, new InformerOptions { Namespace = watchNamespace }, loggers?.CreateLogger("informer.workers"));
        _pods = new Informer<Pod>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = $"{Naming.Labels.Purpose}=worker" }, loggers?.CreateLogger("informer.pods"));
        _pools = new Informer<BuildKitPool>(client, new InformerOptions { Namespace = watchNamespace }, loggers?.CreateLogger("informer.pools"));
        _workers.Cache.AddIndex(PoolIndex, w => [$"{(string.IsNullOrEmpty(w.Spec.PoolRef.Namespace) ? w.Metadata.Namespace : w.Spec.PoolRef.Namespace)}/{w.Spec.PoolRef.Name}"]);

        var reconciler = new WorkerReconciler(client, _workers.Cache, _pods.Cache, _pools.Cache, time, defaults);
        Controller = new Controller<ObjectKey>("buildkitworker", reconciler, time, options, logger: loggers?.CreateLogger("controller.worker"));
        _workers.AddHandler(new EnqueueHandler<BuildKitWorker>(Controller.Queue, w => [ObjectKey.Of(w)]));
        _pods.AddHandler(new EnqueueHandler<Pod>(Controller.Queue, p =>
            p.Metadata.Labels?.TryGetValue(Naming.Labels.Worker, out var worker) == true ? [new ObjectKey(p.Metadata.Namespace ?? "", worker)] : []));
        _pools.AddHandler(new EnqueueHandler<BuildKitPool>(Controller.Queue, p =>
            _workers.Cache.ByIndex(PoolIndex, $"{p.Metadata.Namespace}/{p.Metadata.Name}").Select(ObjectKey.Of)));
    }

    public string Name => "buildkitworker";

    public Controller<ObjectKey> Controller { get; }

    public ObjectCache<BuildKitWorker> Workers => _workers.Cache;

    /// <summary>Starts the informers, waits until their caches are synced, then reconciles until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = new[] { _workers.RunAsync(cancellationToken), _pods.RunAsync(cancellationToken), _pools.RunAsync(cancellationToken) };
        try
        {
            await Task.WhenAll(_workers.WaitForSyncAsync(cancellationToken), _pods.WaitForSyncAsync(cancellationToken), _pools.WaitForSyncAsync(cancellationToken));
            await Controller.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await Task.WhenAll(informers);
        }
    }

    /// <summary>True once every informer has listed.</summary>
    public bool HasSynced => _workers.HasSynced && _pods.HasSynced && _pools.HasSynced;
}
