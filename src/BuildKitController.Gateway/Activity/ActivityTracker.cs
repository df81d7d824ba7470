using BuildKitController.Gateway.Routing;

namespace BuildKitController.Gateway.Activity;

/// <summary>The <see cref="WorkerActivity"/> of every worker with connections (or with activity not yet reported).</summary>
internal sealed class ActivityTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, WorkerActivity> _workers = new(StringComparer.Ordinal);

    /// <summary>Counts a new connection to <paramref name="route"/>'s worker.</summary>
    public WorkerActivity Enter(WorkerRoute route, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(route);
        lock (_lock)
        {
            if (!_workers.TryGetValue(route.Key, out var activity))
            {
                activity = new WorkerActivity(route.Namespace, route.WorkerName);
                _workers[route.Key] = activity;
            }

            activity.Enter(now);
            return activity;
        }
    }

    public IReadOnlyList<WorkerActivity> Snapshot()
    {
        lock (_lock)
        {
            return [.. _workers.Values];
        }
    }

    /// <summary>Forgets a worker with no connection whose last state was reported (or that no longer exists).</summary>
    public void ForgetIfIdle(WorkerActivity activity, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(activity);
        lock (_lock)
        {
            if (force || activity.Active == 0)
            {
                _workers.Remove($"{activity.Namespace}/{activity.Name}");
            }
        }
    }
}
