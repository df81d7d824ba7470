using BuildKitController.Kubernetes.Runtime.Queue;

namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>Maps every informer change to the keys it affects and queues them (edge → level).</summary>
public sealed class EnqueueHandler<T>(WorkQueue<ObjectKey> queue, Func<T, IEnumerable<ObjectKey>> keys) : IInformerHandler<T>
{
    public void OnAdd(T value) => Enqueue(value);

    public void OnUpdate(T previous, T current)
    {
        Enqueue(previous);
        Enqueue(current);
    }

    public void OnDelete(T value) => Enqueue(value);

    private void Enqueue(T value)
    {
        foreach (var key in keys(value))
        {
            queue.Add(key);
        }
    }
}
