using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Naming;

namespace BuildKitController.Operator.Informers;

/// <summary>
/// The informers the controllers and the allocation API share, so each object is cached once (10,000 workers cost one
/// cache, not two): pools, workers (indexed by their pool, <see cref="WorkersByPool"/>) and the Secrets the controller
/// manages (the pool reconciler writes them, the API issues certificates with the pool CAs). Started once by
/// whichever component asks first; all stop with the token of that first start.
/// </summary>
internal sealed class SharedInformers
{
    /// <summary>Index of workers by <c>&lt;pool namespace&gt;/&lt;pool name&gt;</c>.</summary>
    public const string WorkersByPool = "pool";

    /// <summary>Index of workers by the hash of the asynchronous allocation id that claimed them.</summary>
    public const string WorkersByAllocationId = "allocationId";

    /// <summary>Key of <c>spec.allocation.metadata</c> holding the SHA-256 of an asynchronous allocation id.</summary>
    public const string AllocationIdKey = "buildkit.smrt-devops.net/allocation-id-sha256";

    /// <summary>Index of allocated workers by <c>spec.allocation.tokenHash</c>.</summary>
    public const string WorkersByTokenHash = "tokenHash";

    private readonly Lock _lock = new();
    private Task? _running;

    public SharedInformers(KubernetesClient client, string? watchNamespace = null, ILoggerFactory? loggers = null)
    {
        Pools = new Informer<BuildKitPool>(client, new InformerOptions { Namespace = watchNamespace }, loggers?.CreateLogger("informer.pools"));
        Workers = new Informer<BuildKitWorker>(client, new InformerOptions { Namespace = watchNamespace }, loggers?.CreateLogger("informer.workers"));
        Secrets = new Informer<Secret>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = $"{Labels.ManagedBy}={Labels.ManagerName}" }, loggers?.CreateLogger("informer.secrets"));
        Workers.Cache.AddIndex(WorkersByPool, w => [PoolOf(w)]);
        Workers.Cache.AddIndex(WorkersByTokenHash, w => w.Spec.Allocation?.TokenHash is { Length: > 0 } hash ? [hash] : []);
        Workers.Cache.AddIndex(WorkersByAllocationId, w => w.Spec.Allocation?.Metadata?.GetValueOrDefault(AllocationIdKey) is { Length: > 0 } id ? [id] : []);
    }

    public Informer<BuildKitPool> Pools { get; }

    public Informer<BuildKitWorker> Workers { get; }

    /// <summary>Secrets labelled as managed by the controller (never a foreign Secret).</summary>
    public Informer<Secret> Secrets { get; }

    public bool HasSynced => Pools.HasSynced && Workers.HasSynced && Secrets.HasSynced;

    /// <summary>The <c>namespace/name</c> of the pool a worker belongs to (its <c>spec.poolRef</c>).</summary>
    public static string PoolOf(BuildKitWorker worker) =>
        $"{(string.IsNullOrEmpty(worker.Spec.PoolRef.Namespace) ? worker.Metadata.Namespace : worker.Spec.PoolRef.Namespace)}/{worker.Spec.PoolRef.Name}";

    /// <summary>Starts both informers unless already started; the returned task ends when they stop.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _running ??= Task.WhenAll(Pools.RunAsync(cancellationToken), Workers.RunAsync(cancellationToken), Secrets.RunAsync(cancellationToken));
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Pools.WaitForSyncAsync(cancellationToken), Workers.WaitForSyncAsync(cancellationToken), Secrets.WaitForSyncAsync(cancellationToken));
}
