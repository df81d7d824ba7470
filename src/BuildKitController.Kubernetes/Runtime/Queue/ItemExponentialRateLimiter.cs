namespace BuildKitController.Kubernetes.Runtime.Queue;

/// <summary>Per-item exponential backoff: <c>baseDelay · 2^failures</c>, capped at <c>maxDelay</c> (client-go default 5 ms → 1000 s).</summary>
public sealed class ItemExponentialRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IWorkQueueRateLimiter<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<T, int> _failures = [];

    public TimeSpan When(T item)
    {
        int exponent;
        lock (_lock)
        {
            exponent = _failures.GetValueOrDefault(item);
            _failures[item] = exponent + 1;
        }

        var delay = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(exponent, 62));
        return delay >= maxDelay.TotalMilliseconds ? maxDelay : TimeSpan.FromMilliseconds(delay);
    }

    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}
