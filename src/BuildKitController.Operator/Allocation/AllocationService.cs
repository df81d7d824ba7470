using System.Collections.Concurrent;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Scaling;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Informers;
using BuildKitController.Operator.Metrics;
using BuildKitController.Operator.Naming;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Allocation;

/// <summary>
/// Grants workers to callers. The state lives in the BuildKitWorker CRs (<c>spec.allocation</c> with the token's
/// hash), so any controller replica answers and nothing is lost on restart:
/// <list type="bullet">
/// <item>an idle worker is claimed by an update carrying its resourceVersion, so two requests (on any replica) never
/// get the same worker;</item>
/// <item>without an idle worker, a new one is created already allocated, in a free slot name (<see cref="WorkerSlots"/>),
/// so <c>max</c> holds across replicas;</item>
/// <item>at <c>max</c>, requests wait in a bounded line per pool, FIFO per caller and round-robin across callers
/// (<see cref="FairQueue{T}"/>), and are served as workers are released;</item>
/// <item>the caller waits for its worker to become ready (a cold start), then gets the token (stored only hashed) and a
/// certificate bound to it.</item>
/// </list>
/// </summary>
internal sealed class AllocationService : IInformerHandler<BuildKitWorker>
{
    private readonly KubernetesClient _client;
    private readonly AllocationCaches _caches;
    private readonly AllocationOptions _options;
    private readonly TimeProvider _time;
    private readonly PoolCertificates _certificates;
    private readonly PoolDefaultingOptions _defaults;
    private readonly OperatorMetrics? _metrics;
    private readonly string? _watchNamespace;
    private readonly ConcurrentDictionary<(string Namespace, string Pool), AllocationLine> _lines = new();

    public AllocationService(KubernetesClient client, AllocationCaches caches, string controllerNamespace, TimeProvider time,
        AllocationOptions? options = null, PoolDefaultingOptions? defaults = null, OperatorMetrics? metrics = null, string? watchNamespace = null)
    {
        _watchNamespace = watchNamespace;
        _client = client;
        _caches = caches;
        _time = time;
        _options = options ?? new AllocationOptions();
        _defaults = defaults ?? new PoolDefaultingOptions();
        _metrics = metrics;
        _certificates = new PoolCertificates(caches, controllerNamespace);
    }

    /// <summary>Zero-based place in the pool's line of the request with <paramref name="allocationIdHash"/>, or null when it is not waiting.</summary>
    public int? PositionOf(string ns, string pool, string allocationIdHash) =>
        _lines.TryGetValue((ns, pool), out var line) ? line.PositionOf(allocationIdHash) : null;

    /// <summary>The worker claimed for the asynchronous allocation with <paramref name="allocationIdHash"/>, or null.</summary>
    public BuildKitWorker? FindByAllocationId(string allocationIdHash) =>
        _caches.Workers.ByIndex(SharedInformers.WorkersByAllocationId, allocationIdHash).FirstOrDefault(w => w.Metadata.DeletionTimestamp is null);

    /// <summary>
    /// Credentials for a ready allocation found in the cluster (a poll on any replica): a new token replaces the
    /// recorded hash, so the credentials of earlier polls stop working, and a certificate is issued for it.
    /// </summary>
    public async Task<AllocationGrant> RekeyAsync(BuildKitWorker worker, string? csrPem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var ns = worker.Metadata.Namespace!;
        var poolName = worker.Spec.PoolRef.Name;
        var pool = _caches.Pools.Get(ns, poolName) ?? throw new AllocationException(404, AllocationErrors.PoolNotFound, $"pool {ns}/{poolName} not found");
        var idHash = worker.Spec.Allocation?.Metadata?.GetValueOrDefault(SharedInformers.AllocationIdKey);
        var token = AllocationToken.Create();
        var api = _client.For<BuildKitWorker>();
        for (var attempt = 0; ; attempt++)
        {
            worker.Spec.Allocation = worker.Spec.Allocation! with { TokenHash = AllocationToken.Hash(token) };
            worker.Metadata = WithTokenLabel(worker.Metadata, worker.Spec.Allocation.TokenHash!);
            try
            {
                worker = await api.UpdateAsync(worker, cancellationToken);
                break;
            }
            catch (KubernetesConflictException) when (attempt < 5)
            {
                worker = await api.GetAsync(ns, worker.Metadata.Name!, cancellationToken);
                if (worker.Spec.Allocation?.Metadata?.GetValueOrDefault(SharedInformers.AllocationIdKey) != idHash || worker.Metadata.DeletionTimestamp is not null)
                {
                    throw new AllocationException(404, AllocationErrors.NotFound, "allocation not found, released or expired");
                }
            }
        }

        var now = _time.GetUtcNow();
        var expires = worker.Spec.Allocation!.ExpiresAt ?? now;
        var (certificate, ca) = _certificates.Issue(ns, poolName, token, expires, csrPem, now);
        var defaulted = DefaultedPools.Get(pool, _defaults);
        return new AllocationGrant(ns, poolName, worker.Metadata.Name!, token, worker.Status?.Endpoint ?? "", GatewayEndpoint(defaulted), expires, ca, certificate);
    }

    /// <summary>Every pool line with waiting requests (for <c>buildkit_allocation_queue_length</c>).</summary>
    public IEnumerable<(string Namespace, string Pool, int Length)> QueueLengths() =>
        _lines.Select(kv => (kv.Key.Namespace, kv.Key.Pool, kv.Value.Count));

    /// <summary>Position of waiting requests per pool (for metrics and the API).</summary>
    public int QueueLength(string ns, string pool) => _lines.TryGetValue((ns, pool), out var line) ? line.Count : 0;

    public async Task<AllocationGrant> AllocateAsync(AllocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var pool = _caches.Pools.Get(request.Namespace, request.PoolName)
            ?? throw new AllocationException(404, AllocationErrors.PoolNotFound, $"pool {request.Namespace}/{request.PoolName} not found");
        if (pool.Metadata.DeletionTimestamp is not null)
        {
            throw new AllocationException(404, AllocationErrors.PoolNotFound, $"pool {request.Namespace}/{request.PoolName} is being deleted");
        }

        var defaulted = DefaultedPools.Get(pool, _defaults);
        var (ttl, error) = AllocationTtl.Resolve(request.Ttl, defaulted.Spec.Gateway);
        if (error is not null)
        {
            throw AllocationErrors.BadRequest(error);
        }

        var started = _time.GetTimestamp();
        var ticket = new AllocationTicket(request, ttl);
        var line = _lines.GetOrAdd((request.Namespace, request.PoolName), _ => new AllocationLine(_options.QueueCapacityPerPool));
        if (!line.TryEnqueue(ticket))
        {
            throw new AllocationException(503, AllocationErrors.QueueFull, $"{line.Count} requests are already waiting for pool {request.PoolName}", _options.QueueFullRetryAfter);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReadyTimeout);
        BuildKitWorker? claimed = null;
        try
        {
            Kick(line, request.Namespace, request.PoolName);
            claimed = await ticket.Claimed.Task.WaitAsync(timeout.Token);
            // A warm worker claimed while Idle is ready now (its pod is Ready; Allocated is bookkeeping the worker
            // reconciler catches up with). A new worker has to start first.
            var ready = claimed.Status is { PodIP.Length: > 0, Phase: WorkerPhases.Idle or WorkerPhases.Allocated }
                ? claimed
                : await WaitUntilReadyAsync(line, claimed, ticket.TokenHash, timeout.Token);
            var now = _time.GetUtcNow();
            var expires = ready.Spec.Allocation!.ExpiresAt ?? now + ttl;
            var (certificate, ca) = _certificates.Issue(request.Namespace, request.PoolName, ticket.Token, expires, request.CertificateSigningRequest, now);
            _metrics?.RecordAllocation(request.PoolName);
            AllocationMetrics.Latency.Record(_time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("pool", request.PoolName));
            return new AllocationGrant(request.Namespace, request.PoolName, ready.Metadata.Name!, ticket.Token,
                ready.Status?.Endpoint ?? $"tcp://{ready.Status?.PodIP}:1234", GatewayEndpoint(defaulted), expires, ca, certificate);
        }
        catch (Exception ex) when (ex is OperationCanceledException or AllocationException)
        {
            line.Remove(ticket);
            claimed ??= ticket.Claimed.Task.IsCompletedSuccessfully ? ticket.Claimed.Task.Result : null;
            if (claimed is not null)
            {
                // Nobody will use it: give the capacity back.
                await ReleaseWorkerAsync(claimed, CancellationToken.None);
            }

            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new AllocationException(503, AllocationErrors.Timeout, $"no worker of pool {request.PoolName} became ready within {_options.ReadyTimeout}", TimeSpan.FromSeconds(10));
            }

            throw;
        }
    }

    /// <summary>The allocated worker holding <paramref name="token"/>, or null (unknown, released or expired).</summary>
    public BuildKitWorker? Find(string token)
    {
        if (!AllocationToken.IsWellFormed(token))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        return _caches.Workers.ByIndex(SharedInformers.WorkersByTokenHash, AllocationToken.Hash(token))
            .FirstOrDefault(w => w.Metadata.DeletionTimestamp is null && w.Spec.Allocation is { } a && AllocationToken.Matches(token, a.TokenHash!) && (a.ExpiresAt is null || a.ExpiresAt > now));
    }

    /// <summary>
    /// <see cref="Find"/> from the API server rather than the cache: one read selected by the token-hash label, for a
    /// token this replica's cache does not know (yet). An allocation made a moment ago, possibly by another replica,
    /// is found this way, so releasing or renewing it right after the grant works on every replica. Call it only for
    /// authenticated callers: it costs a request to the API server.
    /// </summary>
    public async Task<BuildKitWorker?> FindLiveAsync(string token, CancellationToken cancellationToken)
    {
        if (!AllocationToken.IsWellFormed(token))
        {
            return null;
        }

        var hash = AllocationToken.Hash(token);
        var now = _time.GetUtcNow();
        var list = await _client.For<BuildKitWorker>().ListAsync(_watchNamespace, new ListOptions { LabelSelector = $"{Labels.TokenHash}={Labels.TokenHashValue(hash)}" }, cancellationToken);
        return list.Items.FirstOrDefault(w => w.Metadata.DeletionTimestamp is null && w.Spec.Allocation is { } a && AllocationToken.Matches(token, a.TokenHash!) && (a.ExpiresAt is null || a.ExpiresAt > now));
    }

    /// <summary>Releases the allocation of <paramref name="token"/> (deletes its worker). Idempotent: an unknown token is already released.</summary>
    public async Task<bool> ReleaseAsync(string token, string caller, bool isAdmin, CancellationToken cancellationToken)
    {
        var worker = Find(token) ?? await FindLiveAsync(token, cancellationToken);
        if (worker is null)
        {
            return false;
        }

        await ReleaseAsync(worker, caller, isAdmin, cancellationToken);
        return true;
    }

    /// <summary>Releases the allocation held by <paramref name="worker"/>, found by the caller (<see cref="Find"/>, <see cref="FindLiveAsync"/>).</summary>
    public Task ReleaseAsync(BuildKitWorker worker, string caller, bool isAdmin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        EnsureOwner(worker, caller, isAdmin);
        return ReleaseWorkerAsync(worker, cancellationToken);
    }

    /// <summary>Extends the allocation of <paramref name="token"/> by a new TTL from now and issues a fresh certificate.</summary>
    public async Task<AllocationGrant> RenewAsync(string token, string? ttlText, string? csrPem, string caller, bool isAdmin, CancellationToken cancellationToken)
    {
        var worker = Find(token) ?? await FindLiveAsync(token, cancellationToken) ?? throw new AllocationException(404, AllocationErrors.NotFound, "allocation not found, released or expired");
        return await RenewAsync(worker, token, ttlText, csrPem, caller, isAdmin, cancellationToken);
    }

    /// <summary>Renews the allocation of <paramref name="token"/> held by <paramref name="worker"/>, found by the caller.</summary>
    public async Task<AllocationGrant> RenewAsync(BuildKitWorker worker, string token, string? ttlText, string? csrPem, string caller, bool isAdmin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        EnsureOwner(worker, caller, isAdmin);
        var (ns, poolName) = (worker.Metadata.Namespace!, worker.Spec.PoolRef.Name);
        var pool = _caches.Pools.Get(ns, poolName) ?? throw new AllocationException(404, AllocationErrors.PoolNotFound, $"pool {ns}/{poolName} not found");
        var defaulted = DefaultedPools.Get(pool, _defaults);
        var (ttl, error) = AllocationTtl.Resolve(ttlText, defaulted.Spec.Gateway);
        if (error is not null)
        {
            throw AllocationErrors.BadRequest(error);
        }

        var now = _time.GetUtcNow();
        var expires = now + ttl;
        var api = _client.For<BuildKitWorker>();
        for (var attempt = 0; ; attempt++)
        {
            worker.Spec.Allocation = worker.Spec.Allocation! with { ExpiresAt = expires };
            try
            {
                worker = await api.UpdateAsync(worker, cancellationToken);
                break;
            }
            catch (KubernetesConflictException) when (attempt < 5)
            {
                worker = await api.GetAsync(ns, worker.Metadata.Name!, cancellationToken);
                if (worker.Spec.Allocation?.TokenHash is not { } hash || !AllocationToken.Matches(token, hash))
                {
                    throw new AllocationException(404, AllocationErrors.NotFound, "allocation not found, released or expired");
                }
            }
        }

        var (certificate, ca) = _certificates.Issue(ns, poolName, token, expires, csrPem, now);
        return new AllocationGrant(ns, poolName, worker.Metadata.Name!, token, worker.Status?.Endpoint ?? "", GatewayEndpoint(defaulted), expires, ca, certificate);
    }

    /// <summary>
    /// Makes sure the pool has a warm worker: true when an unallocated worker is ready now; otherwise starts one (in a
    /// free slot, when below max) and returns false. The warm worker is trimmed after <c>scaleDownDelay</c> if unused.
    /// </summary>
    public async Task<bool> WakeAsync(string ns, string poolName, CancellationToken cancellationToken)
    {
        var pool = _caches.Pools.Get(ns, poolName) ?? throw new AllocationException(404, AllocationErrors.PoolNotFound, $"pool {ns}/{poolName} not found");
        var workers = _caches.Workers.ByIndex(SharedInformers.WorkersByPool, $"{ns}/{poolName}").Where(w => w.Metadata.DeletionTimestamp is null).ToList();
        var warm = workers.Where(w => w.Spec.Allocation is null).ToList();
        if (warm.Any(w => w.Status?.Phase == WorkerPhases.Idle))
        {
            return true;
        }

        if (warm.Any(w => w.Status?.Phase is null or "" or WorkerPhases.Pending or WorkerPhases.Provisioning))
        {
            return false;
        }

        var defaulted = DefaultedPools.Get(pool, _defaults);
        var max = defaulted.Spec.Scaling?.Max ?? PoolDefaults.MaxWorkers;
        foreach (var slot in WorkerSlots.Free(poolName, max, _caches.Workers.ByIndex(SharedInformers.WorkersByPool, $"{ns}/{poolName}").Select(w => w.Metadata.Name!)))
        {
            try
            {
                await _client.For<BuildKitWorker>().CreateAsync(PoolReconciler.NewWorker(defaulted, slot), cancellationToken);
                return false;
            }
            catch (KubernetesAlreadyExistsException)
            {
                // Taken: next slot.
            }
        }

        return false;
    }

    public static string GatewayEndpoint(BuildKitPool pool) =>
        pool.Status?.Endpoint is { Length: > 0 } endpoint
            ? endpoint
            : $"tcp://{pool.Metadata.Name}.{pool.Metadata.Namespace}.svc:{GatewayServiceBuilder.Port(pool.Spec)}";

    void IInformerHandler<BuildKitWorker>.OnAdd(BuildKitWorker value) => Changed(value);

    void IInformerHandler<BuildKitWorker>.OnUpdate(BuildKitWorker previous, BuildKitWorker current) => Changed(current);

    void IInformerHandler<BuildKitWorker>.OnDelete(BuildKitWorker value) => Changed(value);

    private void Changed(BuildKitWorker worker)
    {
        var ns = string.IsNullOrEmpty(worker.Spec.PoolRef.Namespace) ? worker.Metadata.Namespace ?? "" : worker.Spec.PoolRef.Namespace;
        if (_lines.TryGetValue((ns, worker.Spec.PoolRef.Name), out var line))
        {
            line.Signal.Notify();
            if (line.Count > 0)
            {
                Kick(line, ns, worker.Spec.PoolRef.Name);
            }
        }
    }

    private void Validate(AllocationRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.PoolName))
        {
            throw AllocationErrors.BadRequest("poolName is required");
        }

        if ((request.JobId?.Length ?? 0) > _options.MaxFieldLength)
        {
            throw AllocationErrors.BadRequest($"jobId is longer than {_options.MaxFieldLength} characters");
        }

        if (request.Metadata is { } metadata
            && (metadata.Count > _options.MaxMetadataEntries || metadata.Any(kv => kv.Key.Length > _options.MaxFieldLength || kv.Value.Length > _options.MaxFieldLength)))
        {
            throw AllocationErrors.BadRequest($"metadata allows at most {_options.MaxMetadataEntries} entries of at most {_options.MaxFieldLength} characters");
        }

        if (request.CertificateSigningRequest is { } csr)
        {
            try
            {
                Core.Pki.CertificateIssuer.ValidateSigningRequest(csr);
            }
            catch (Core.Pki.PkiException ex)
            {
                throw AllocationErrors.BadRequest(ex.Message);
            }
        }

        if (request.Metadata?.Keys.Any(k => k.StartsWith("buildkit.smrt-devops.net/", StringComparison.Ordinal)) == true)
        {
            throw AllocationErrors.BadRequest("metadata keys under buildkit.smrt-devops.net/ are reserved");
        }
    }

    private static Dictionary<string, string>? MetadataOf(AllocationRequest request)
    {
        var metadata = new Dictionary<string, string>(request.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (request.AllocationIdHash is { } id)
        {
            metadata[SharedInformers.AllocationIdKey] = id;
        }

        return metadata.Count > 0 ? metadata : null;
    }

    private static ObjectMeta WithTokenLabel(ObjectMeta metadata, string tokenHash) => metadata with
    {
        Labels = new Dictionary<string, string>(metadata.Labels ?? [], StringComparer.Ordinal) { [Labels.TokenHash] = Labels.TokenHashValue(tokenHash) },
    };

    private static void EnsureOwner(BuildKitWorker worker, string caller, bool isAdmin)
    {
        if (!isAdmin && worker.Spec.Allocation?.RequestedBy != caller)
        {
            throw new AllocationException(403, AllocationErrors.Forbidden, "only the identity that allocated this worker (or an admin) may do this");
        }
    }

    /// <summary>Serves waiting tickets in fair order while workers can be claimed; one dispatcher per pool at a time.</summary>
    private void Kick(AllocationLine line, string ns, string pool)
    {
        if (!line.TryStartDispatch())
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            do
            {
                try
                {
                    await DispatchAsync(line, ns, pool);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // An API failure: the waiting tickets stay queued and are tried again shortly (or on the next
                    // worker event); each caller's own deadline bounds the wait.
                    _ = RetryLaterAsync(line, ns, pool);
                }
            }
            while (line.FinishDispatch());
        });
    }

    private async Task RetryLaterAsync(AllocationLine line, string ns, string pool)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), _time);
        Kick(line, ns, pool);
    }

    private async Task DispatchAsync(AllocationLine line, string ns, string poolName)
    {
        while (line.Peek() is { } ticket)
        {
            var pool = _caches.Pools.Get(ns, poolName);
            if (pool is null || pool.Metadata.DeletionTimestamp is not null)
            {
                line.FailAll(new AllocationException(404, AllocationErrors.PoolNotFound, $"pool {ns}/{poolName} not found"));
                return;
            }

            var claimed = await TryClaimAsync(line, DefaultedPools.Get(pool, _defaults), ticket, CancellationToken.None);
            if (claimed is null)
            {
                return;
            }

            line.Grant(ticket, claimed);
        }
    }

    private async Task<BuildKitWorker?> TryClaimAsync(AllocationLine line, BuildKitPool pool, AllocationTicket ticket, CancellationToken cancellationToken)
    {
        var ns = pool.Metadata.Namespace!;
        var name = pool.Metadata.Name!;
        var now = _time.GetUtcNow();
        var allocation = new WorkerAllocation
        {
            JobId = ticket.Request.JobId ?? "",
            TokenHash = ticket.TokenHash,
            RequestedBy = ticket.Request.Requester,
            AllocatedAt = now,
            ExpiresAt = now + ticket.Ttl,
            Metadata = MetadataOf(ticket.Request),
        };
        var api = _client.For<BuildKitWorker>();
        var workers = _caches.Workers.ByIndex(SharedInformers.WorkersByPool, $"{ns}/{name}");

        // 1. A warm worker, oldest slot first. The update carries the cached resourceVersion: if anyone claimed or
        //    changed it since, the API server refuses (409) and we try the next.
        //    Workers this replica claimed a moment ago still look idle in the cache: skip them rather than collect 409s.
        var idleWorkers = workers.Where(w => w.Metadata.DeletionTimestamp is null && w.Spec.Allocation is null && w.Status?.Phase == WorkerPhases.Idle).ToList();
        idleWorkers.Sort(static (a, b) => string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name));
        foreach (var idle in idleWorkers)
        {
            if (line.Claims.IsCacheBehind(ObjectKey.Of(idle), idle.Metadata.ResourceVersion))
            {
                continue;
            }

            try
            {
                var claimed = await api.UpdateAsync(idle with { Metadata = WithTokenLabel(idle.Metadata, allocation.TokenHash!), Spec = idle.Spec with { Allocation = allocation } }, cancellationToken);
                line.Claims.Wrote(ObjectKey.Of(idle), idle.Metadata.ResourceVersion, claimed.Metadata.ResourceVersion);
                return claimed;
            }
            catch (Exception ex) when (ex is KubernetesConflictException or KubernetesNotFoundException)
            {
                // Taken or gone: next.
            }
        }

        // 2. A new worker, created already allocated, in a free slot below max.
        var max = pool.Spec.Scaling?.Max ?? PoolDefaults.MaxWorkers;
        if (workers.Count >= max)
        {
            return null;
        }

        foreach (var slot in WorkerSlots.Free(name, max, workers.Select(w => w.Metadata.Name!)))
        {
            var worker = PoolReconciler.NewWorker(pool, slot);
            worker.Spec.Allocation = allocation;
            worker.Metadata = WithTokenLabel(worker.Metadata, allocation.TokenHash!);
            try
            {
                return await api.CreateAsync(worker, cancellationToken);
            }
            catch (KubernetesAlreadyExistsException)
            {
                // Another creator took the slot: next.
            }
        }

        return null;
    }

    private async Task<BuildKitWorker> WaitUntilReadyAsync(AllocationLine line, BuildKitWorker claimed, string tokenHash, CancellationToken cancellationToken)
    {
        var name = claimed.Metadata.Name!;
        var ns = claimed.Metadata.Namespace!;
        var seen = false;
        var ours = false;
        while (true)
        {
            var changed = line.Signal.Next();
            var current = _caches.Workers.Get(ns, name);

            // The cache may still hold the worker as it was before our claim; only after it has shown our
            // allocation does a different one mean the allocation was released meanwhile.
            if (ours && current is not null && current.Spec.Allocation?.TokenHash != tokenHash)
            {
                throw new AllocationException(409, AllocationErrors.Conflict, $"worker {name} was released before it became ready");
            }

            if (current?.Spec.Allocation?.TokenHash == tokenHash)
            {
                ours = true;
                if (current.Status?.Phase == WorkerPhases.Failed)
                {
                    throw new AllocationException(503, AllocationErrors.WorkerFailed, $"worker {name} failed to start: {current.Status.Message}", TimeSpan.FromSeconds(5));
                }

                if (current.Metadata.DeletionTimestamp is not null)
                {
                    throw new AllocationException(503, AllocationErrors.WorkerFailed, $"worker {name} was deleted before it became ready", TimeSpan.FromSeconds(5));
                }

                if (current.Status?.Phase == WorkerPhases.Allocated && !string.IsNullOrEmpty(current.Status.PodIP))
                {
                    return current;
                }
            }
            else if (current is null && seen)
            {
                throw new AllocationException(503, AllocationErrors.WorkerFailed, $"worker {name} disappeared before it became ready", TimeSpan.FromSeconds(5));
            }

            seen |= current is not null;
            await changed.WaitAsync(cancellationToken);
        }
    }

    private async Task ReleaseWorkerAsync(BuildKitWorker worker, CancellationToken cancellationToken)
    {
        try
        {
            await _client.For<BuildKitWorker>().DeleteAsync(worker.Metadata.Namespace, worker.Metadata.Name!, new DeleteOptions
            {
                Preconditions = new Preconditions { Uid = worker.Metadata.Uid },
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is KubernetesNotFoundException or KubernetesConflictException)
        {
            // Already gone (or replaced by a new worker in the same slot, which is not ours to delete).
        }
    }
}
