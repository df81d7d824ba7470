using System.Collections.Concurrent;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// Workers the pool reconciler created or deleted but the informer has not reported yet (the ReplicaSet
/// controller's "expectations"). Until the cache shows them, or <c>timeout</c> passes, the pool does not scale
/// again, so a reconcile that runs ahead of the watch never creates a second batch. A key is reconciled by one worker
/// at a time, so the per-pool state needs no further locking.
/// </summary>
internal sealed class ScalingExpectations(TimeProvider time, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<ObjectKey, Pending> _pending = new();

    public void ExpectCreated(ObjectKey pool, string worker) => For(pool).Creating.Add(worker);

    public void ExpectDeleted(ObjectKey pool, string worker) => For(pool).Deleting.Add(worker);

    /// <summary>True when every expected change is visible in <paramref name="lookup"/> (or the wait timed out).</summary>
    public bool Satisfied(ObjectKey pool, Func<string, BuildKitWorker?> lookup)
    {
        if (!_pending.TryGetValue(pool, out var pending))
        {
            return true;
        }

        pending.Creating.RemoveWhere(name => lookup(name) is not null);
        pending.Deleting.RemoveWhere(name => lookup(name) is not { Metadata.DeletionTimestamp: null });
        if ((pending.Creating.Count == 0 && pending.Deleting.Count == 0) || time.GetUtcNow() - pending.Since >= timeout)
        {
            _pending.TryRemove(pool, out _);
            return true;
        }

        return false;
    }

    public void Forget(ObjectKey pool) => _pending.TryRemove(pool, out _);

    private Pending For(ObjectKey pool) => _pending.GetOrAdd(pool, _ => new Pending(time.GetUtcNow()));

    private sealed record Pending(DateTimeOffset Since)
    {
        public HashSet<string> Creating { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Deleting { get; } = new(StringComparer.Ordinal);
    }
}
