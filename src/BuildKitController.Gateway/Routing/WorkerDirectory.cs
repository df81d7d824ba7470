using System.Net;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Gateway.Diagnostics;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Gateway.Routing;

/// <summary>
/// The pool's BuildKitWorkers, cached by an informer scoped to the pool's namespace and label
/// (<c>buildkit.smrt-devops.net/pool=&lt;pool&gt;</c>) and indexed by allocation token hash, so routing a
/// connection is a local lookup: no call to the controller, and a release (worker deleted or allocation removed)
/// reaches new connections with the watch latency.
/// </summary>
internal sealed class WorkerDirectory : IInformerHandler<BuildKitWorker>
{
    public const string PoolLabel = "buildkit.smrt-devops.net/pool";
    private const string TokenHashIndex = "tokenHash";

    private readonly string _namespace;
    private readonly string _pool;
    private readonly int _workerPort;
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerDirectory(KubernetesClient client, string poolNamespace, string poolName, int workerPort, ILogger? logger = null)
    {
        _namespace = poolNamespace;
        _pool = poolName;
        _workerPort = workerPort;
        Informer = new Informer<BuildKitWorker>(client, new InformerOptions { Namespace = poolNamespace, LabelSelector = $"{PoolLabel}={poolName}" }, logger);
        Informer.Cache.AddIndex(TokenHashIndex, TokenHashes);
        Informer.AddHandler(this);
    }

    public Informer<BuildKitWorker> Informer { get; }

    public bool HasSynced => Informer.HasSynced;

    public Task RunAsync(CancellationToken cancellationToken) => Informer.RunAsync(cancellationToken);

    /// <summary>Completes at the next change of the cache (tests wait on it instead of sleeping).</summary>
    public Task NextChangeAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Resolves a presented token to its worker at <paramref name="now"/>.</summary>
    public RouteResult Resolve(string token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = AllocationToken.Hash(token);
        var candidates = Informer.Cache.ByIndex(TokenHashIndex, hash);
        if (candidates.Count == 0)
        {
            return RouteResult.Refused(RejectReason.UnknownAllocation);
        }

        // Index hits are hash equality already; re-check in constant time against what the worker stores.
        var worker = candidates.FirstOrDefault(w => TokenHashes(w).Any(stored => AllocationToken.Matches(token, stored)));
        if (worker?.Spec.Allocation is not { } allocation)
        {
            return RouteResult.Refused(RejectReason.UnknownAllocation);
        }

        var poolNamespace = string.IsNullOrEmpty(worker.Spec.PoolRef.Namespace) ? worker.Metadata.Namespace : worker.Spec.PoolRef.Namespace;
        if (worker.Spec.PoolRef.Name != _pool || poolNamespace != _namespace)
        {
            return RouteResult.Refused(RejectReason.OtherPool);
        }

        if (worker.Metadata.DeletionTimestamp is not null)
        {
            return RouteResult.Refused(RejectReason.UnknownAllocation);
        }

        if (allocation.ExpiresAt is { } expires && expires <= now)
        {
            return RouteResult.Refused(RejectReason.Expired);
        }

        var status = worker.Status;
        if (status?.Phase is not (WorkerPhases.Allocated or WorkerPhases.Idle or WorkerPhases.Running)
            || !IPAddress.TryParse(status.PodIP, out var address))
        {
            return RouteResult.Refused(RejectReason.WorkerNotReady);
        }

        return RouteResult.To(new WorkerRoute(worker.Metadata.Namespace ?? _namespace, worker.Metadata.Name!, new IPEndPoint(address, _workerPort)));
    }

    public void OnAdd(BuildKitWorker value) => Signal();

    public void OnUpdate(BuildKitWorker previous, BuildKitWorker current) => Signal();

    public void OnDelete(BuildKitWorker value) => Signal();

    /// <summary>The token hash a worker is reachable by: <c>spec.allocation.tokenHash</c>, or the hash of a legacy clear <c>token</c>.</summary>
    private static IEnumerable<string> TokenHashes(BuildKitWorker worker)
    {
        if (worker.Spec.Allocation is not { } allocation)
        {
            return [];
        }

        if (allocation.TokenHash is { Length: > 0 } hash)
        {
            return [hash.ToLowerInvariant()];
        }

        return allocation.Token is { Length: > 0 } token ? [AllocationToken.Hash(token)] : [];
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
