namespace BuildKitController.Kubernetes.Runtime.Queue;

/// <summary>Decides how long an item waits before it is retried (client-go's workqueue.TypedRateLimiter).</summary>
public interface IWorkQueueRateLimiter<in T>
{
    /// <summary>The delay for the next retry of <paramref name="item"/>; records the attempt.</summary>
    TimeSpan When(T item);

    /// <summary>Clears the failure history of <paramref name="item"/> after it succeeded.</summary>
    void Forget(T item);

    /// <summary>How many times <paramref name="item"/> has been retried since it last succeeded.</summary>
    int NumRequeues(T item);
}
