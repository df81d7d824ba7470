namespace BuildKitController.Kubernetes.Runtime.Queue;

/// <summary>
/// Overall retry throttle shared by all items: a token bucket of <c>burst</c> tokens refilled at <c>qps</c>
/// (client-go default 10 qps, burst 100). Each retry reserves a token and waits until it is due.
/// </summary>
public sealed class BucketRateLimiter<T>(double queriesPerSecond, int burst, TimeProvider timeProvider) : IWorkQueueRateLimiter<T>
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _last = timeProvider.GetTimestamp();

    public TimeSpan When(T item)
    {
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (timeProvider.GetElapsedTime(_last, now).TotalSeconds * queriesPerSecond));
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / queriesPerSecond);
        }
    }

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
