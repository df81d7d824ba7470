namespace BuildKitController.Kubernetes.Runtime.Queue;

/// <summary>The longest delay of several limiters (client-go's MaxOfRateLimiter).</summary>
public sealed class MaxOfRateLimiter<T>(params IWorkQueueRateLimiter<T>[] limiters) : IWorkQueueRateLimiter<T>
{
    public TimeSpan When(T item)
    {
        var max = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(item);
            if (delay > max)
            {
                max = delay;
            }
        }

        return max;
    }

    public void Forget(T item)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(T item) => limiters.Max(l => l.NumRequeues(item));
}
