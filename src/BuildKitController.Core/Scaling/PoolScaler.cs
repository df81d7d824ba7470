using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Core.Scaling;

/// <summary>
/// Decides how many workers to create and which to delete. Pure and deterministic, so every rule is testable:
/// <list type="bullet">
/// <item>an allocated worker is never removed by scaling (only a failed one is, because it cannot serve);</item>
/// <item>workers being deleted count against <c>max</c> until they are gone, so <c>max</c> holds on every path;</item>
/// <item>a worker the worker reconciler has not seen yet (empty phase) counts as starting, so no double creation;</item>
/// <item>failed workers are removed; workers still not ready after the provisioning patience are replaced (once the worker reconciler has taken them on);</item>
/// <item>idle workers above <c>min</c> go after <c>scaleDownDelay</c>, oldest idle first; inside the scale-down schedule window all idle workers go at once;</item>
/// <item>new workers fill the warm pool up to <c>min</c> idle-or-starting, never beyond <c>max</c>.</item>
/// </list>
/// </summary>
public static class PoolScaler
{
    public static ScalingPlan Plan(ScalingPolicy policy, IReadOnlyCollection<WorkerSnapshot> workers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(workers);
        var removals = new List<WorkerRemoval>();
        TimeSpan? recheck = null;

        void Recheck(TimeSpan after)
        {
            if (after > TimeSpan.Zero && (recheck is null || after < recheck))
            {
                recheck = after;
            }
        }

        var live = workers.Where(w => !w.Deleting).ToList();
        var failed = live.Where(w => w.Phase == WorkerPhases.Failed).ToList();
        removals.AddRange(failed.Select(w => new WorkerRemoval(w.Name, RemovalReasons.Failed)));

        var starting = live.Where(IsStarting).ToList();
        // Patience runs only for workers the worker reconciler has taken on (Pending/Provisioning): one it has not
        // reached yet is waiting on the controller's own backlog, not on the cluster, and replacing it would only add
        // to that backlog.
        foreach (var worker in starting.Where(w => !w.Allocated && w.Phase.Length > 0))
        {
            var waited = now - worker.CreatedAt;
            if (waited >= policy.ProvisioningPatience)
            {
                removals.Add(new WorkerRemoval(worker.Name, RemovalReasons.Stuck));
            }
            else
            {
                Recheck(policy.ProvisioningPatience - waited);
            }
        }

        var allocated = live.Where(w => w.Allocated && w.Phase != WorkerPhases.Failed).ToList();
        var idle = live.Where(w => !w.Allocated && IsReady(w)).OrderBy(w => w.IdleSince ?? w.CreatedAt).ToList();
        var wantIdle = policy.ScaledDown ? 0 : Math.Max(0, policy.Min);

        // Remove idle workers above the warm target: all at once inside the schedule window, otherwise those
        // idle for longer than the delay, oldest first, keeping the youngest `wantIdle`.
        var surplus = idle.Count - wantIdle;
        foreach (var worker in idle.Take(Math.Max(0, surplus)))
        {
            if (policy.ScaledDown)
            {
                removals.Add(new WorkerRemoval(worker.Name, RemovalReasons.Schedule));
                continue;
            }

            var idleFor = now - (worker.IdleSince ?? worker.CreatedAt);
            if (idleFor >= policy.ScaleDownDelay)
            {
                removals.Add(new WorkerRemoval(worker.Name, RemovalReasons.ScaleDown));
            }
            else
            {
                Recheck(policy.ScaleDownDelay - idleFor);
            }
        }

        var removed = removals.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var remainingIdle = idle.Count(w => !removed.Contains(w.Name));
        var remainingStarting = starting.Count(w => !w.Allocated && !removed.Contains(w.Name));

        // Everything not yet gone counts against max, including workers being deleted and those we remove now.
        var occupying = workers.Count;
        var headroom = Math.Max(0, policy.Max - occupying);
        var toCreate = Math.Clamp(wantIdle - (remainingIdle + remainingStarting), 0, headroom);

        var ready = live.Count(IsReady);
        var desired = Math.Min(Math.Max(0, policy.Min) + allocated.Count, policy.Max);
        var counts = new WorkerCounts(
            Total: workers.Count,
            Ready: ready,
            Idle: live.Count(w => !w.Allocated && IsReady(w)),
            Allocated: allocated.Count,
            Provisioning: starting.Count,
            Failed: failed.Count,
            Desired: desired,
            Needed: Math.Max(0, desired - (ready + starting.Count)));

        return new ScalingPlan(toCreate, removals, counts, recheck);
    }

    private static bool IsStarting(WorkerSnapshot worker) =>
        worker.Phase is "" or WorkerPhases.Pending or WorkerPhases.Provisioning;

    private static bool IsReady(WorkerSnapshot worker) =>
        worker.Phase is WorkerPhases.Idle or WorkerPhases.Running or WorkerPhases.Allocated;
}
