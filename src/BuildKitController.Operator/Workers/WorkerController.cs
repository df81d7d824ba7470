using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Hosting;
using BuildKitController.Operator.Informers;

namespace BuildKitController.Operator.Workers;

/// <summary>
/// The worker controller: informers on BuildKitWorkers, the worker pods (label-scoped, so no other pod is
/// cached) and pools, feeding <see cref="WorkerReconciler"/>. A pod change wakes its worker; a change of a pool's
/// spec or metadata (not of its status) wakes the pool's workers.
/// </summary>
internal sealed class WorkerController : IManagedController
{
    private readonly SharedInformers _shared;
    private readonly Informer<Pod> _pods;

    public WorkerController(KubernetesClient client, TimeProvider time, string? watchNamespace = null, PoolDefaultingOptions? defaults = null,
        ControllerOptions? options = null, ILoggerFactory? loggers = null)
        : this(client, time, new SharedInformers(client, watchNamespace, loggers), watchNamespace, defaults, options, loggers)
    {
    }

    public WorkerController(KubernetesClient client, TimeProvider time, SharedInformers shared, string? watchNamespace = null, PoolDefaultingOptions? defaults = null,
        ControllerOptions? options = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(shared);
        _shared = shared;
        _pods = new Informer<Pod>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = $"{Naming.Labels.Purpose}=worker" }, loggers?.CreateLogger("informer.pods"), CacheTransforms.WorkerPod);

        var reconciler = new WorkerReconciler(client, shared.Workers.Cache, _pods.Cache, shared.Pools.Cache, time, defaults);
        Controller = new Controller<ObjectKey>(Name, reconciler, time, options, logger: loggers?.CreateLogger("controller.worker"));
        shared.Workers.AddHandler(new EnqueueHandler<BuildKitWorker>(Controller.Queue, w => [ObjectKey.Of(w)]));
        _pods.AddHandler(new EnqueueHandler<Pod>(Controller.Queue, p =>
            p.Metadata.Labels?.TryGetValue(Naming.Labels.Worker, out var worker) == true ? [new ObjectKey(p.Metadata.Namespace ?? "", worker)] : []));
        // A worker depends on its pool's spec and metadata, never on its status: the pool's status writes (one per
        // allocation and per worker change) must not wake every worker of the pool.
        shared.Pools.AddHandler(new EnqueueHandler<BuildKitPool>(Controller.Queue, p =>
            shared.Workers.Cache.ByIndex(SharedInformers.WorkersByPool, $"{p.Metadata.Namespace}/{p.Metadata.Name}").Select(ObjectKey.Of),
            ChangePredicates.SpecOrMetadataChanged));
    }

    public string Name => "buildkitworker";

    public Controller<ObjectKey> Controller { get; }

    public int QueueDepth => Controller.Queue.Count;

    public ObjectCache<BuildKitWorker> Workers => _shared.Workers.Cache;

    public ObjectCache<BuildKitPool> Pools => _shared.Pools.Cache;

    /// <summary>Starts the informers, waits until their caches are synced, then reconciles until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = new[] { _shared.StartAsync(cancellationToken), _pods.RunAsync(cancellationToken) };
        try
        {
            await Task.WhenAll(_shared.WaitForSyncAsync(cancellationToken), _pods.WaitForSyncAsync(cancellationToken));
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
    public bool HasSynced => _shared.HasSynced && _pods.HasSynced;
}
