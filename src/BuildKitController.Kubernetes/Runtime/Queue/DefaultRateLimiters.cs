namespace BuildKitController.Kubernetes.Runtime.Queue;

/// <summary>Factory of client-go's default controller rate limiter.</summary>
public static class DefaultRateLimiters
{
    /// <summary>Per-item exponential 5 ms → 1000 s combined with an overall bucket of 10 qps, burst 100.</summary>
    public static IWorkQueueRateLimiter<T> Controller<T>(TimeProvider timeProvider)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ItemExponentialRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<T>(10, 100, timeProvider));
}
