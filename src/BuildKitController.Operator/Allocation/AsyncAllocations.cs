using System.Collections.Concurrent;
using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Operator.Allocation;

/// <summary>
/// Asynchronous allocations (<c>wait: false</c>): the request waits in the pool's line in the background and the client
/// polls its id. The replica that took the request knows its place in the line; once a worker is claimed, the id's
/// hash on the worker lets every replica answer, and a poll that finds the worker ready issues fresh credentials
/// (<see cref="AllocationService.RekeyAsync"/>), so no secret has to be kept anywhere.
/// </summary>
internal sealed class AsyncAllocations(AllocationService allocations, TimeProvider time, AllocationOptions? options = null)
{
    private readonly AllocationOptions _options = options ?? new AllocationOptions();
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Queues <paramref name="request"/> and returns its id and place in the line.</summary>
    public (string Id, int? Position) Start(AllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Sweep();
        var deadline = time.GetUtcNow() + _options.ReadyTimeout;
        var id = AllocationId.Create(deadline);
        var hash = AllocationId.Hash(id);
        var task = allocations.AllocateAsync(request with { AllocationIdHash = hash }, CancellationToken.None);
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _entries[hash] = new Entry(request, task, deadline + TimeSpan.FromMinutes(5));
        if (task.IsFaulted)
        {
            _entries.TryRemove(hash, out _);
            task.GetAwaiter().GetResult();
        }

        return (id, allocations.PositionOf(request.Namespace, request.PoolName, hash));
    }

    /// <summary>The pool an id belongs to (for authentication and authorization), or null when unknown here and in the cluster.</summary>
    public (string Namespace, string Pool, string Requester)? Owner(string id)
    {
        var hash = AllocationId.Hash(id);
        if (_entries.TryGetValue(hash, out var entry))
        {
            return (entry.Request.Namespace, entry.Request.PoolName, entry.Request.Requester);
        }

        return allocations.FindByAllocationId(hash) is { } worker
            ? (worker.Metadata.Namespace!, worker.Spec.PoolRef.Name, worker.Spec.Allocation?.RequestedBy ?? "")
            : null;
    }

    /// <summary>
    /// Where the allocation stands: a grant when ready, otherwise its place in the line (null when unknown, e.g. claimed
    /// and starting, or waiting on another replica). Throws the allocation's failure, or 404 for unknown or expired ids.
    /// </summary>
    public async Task<(AllocationGrant? Grant, int? Position)> PollAsync(string id, string caller, bool isAdmin, string? csrPem, CancellationToken cancellationToken)
    {
        var hash = AllocationId.Hash(id);
        if (_entries.TryGetValue(hash, out var entry))
        {
            EnsureOwner(entry.Request.Requester, caller, isAdmin);
            if (!entry.Task.IsCompleted)
            {
                return (null, allocations.PositionOf(entry.Request.Namespace, entry.Request.PoolName, hash));
            }

            _entries.TryRemove(hash, out _);
            var grant = await entry.Task;
            return csrPem is null ? (grant, null) : (await RekeyAsync(hash, csrPem, cancellationToken), null);
        }

        var worker = allocations.FindByAllocationId(hash);
        if (worker is not null)
        {
            EnsureOwner(worker.Spec.Allocation?.RequestedBy, caller, isAdmin);
            if (worker.Status?.Phase == WorkerPhases.Failed)
            {
                throw new AllocationException(503, AllocationErrors.WorkerFailed, $"worker {worker.Metadata.Name} failed to start: {worker.Status.Message}", TimeSpan.FromSeconds(5));
            }

            return worker.Status?.Phase == WorkerPhases.Allocated && !string.IsNullOrEmpty(worker.Status.PodIP)
                ? (await allocations.RekeyAsync(worker, csrPem, cancellationToken), null)
                : (null, null);
        }

        // Not here and not (yet) in the cluster: another replica may still hold it in its line.
        if (AllocationId.PendingUntil(id) is { } until && time.GetUtcNow() < until)
        {
            return (null, null);
        }

        throw new AllocationException(404, AllocationErrors.NotFound, "allocation not found or expired");
    }

    private async Task<AllocationGrant> RekeyAsync(string hash, string csrPem, CancellationToken cancellationToken) =>
        await allocations.RekeyAsync(
            allocations.FindByAllocationId(hash) ?? throw new AllocationException(503, AllocationErrors.NotReady, "the allocation is ready but not visible yet; poll again", TimeSpan.FromSeconds(1)),
            csrPem,
            cancellationToken);

    private static void EnsureOwner(string? owner, string caller, bool isAdmin)
    {
        if (!isAdmin && owner != caller)
        {
            throw new AllocationException(403, AllocationErrors.Forbidden, "only the identity that requested this allocation (or an admin) may poll it");
        }
    }

    /// <summary>Forgets entries nobody polled in time (a ready allocation remains reachable through its worker).</summary>
    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (hash, entry) in _entries)
        {
            if (entry.ForgetAfter < now && entry.Task.IsCompleted)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }

    private sealed record Entry(AllocationRequest Request, Task<AllocationGrant> Task, DateTimeOffset ForgetAfter);
}
