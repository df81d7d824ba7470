using BuildKitController.Kubernetes.Runtime.Queue;

namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>
/// Maps every informer change to the keys it affects and queues them (edge → level). An optional
/// <paramref name="updateFilter"/> drops updates that cannot matter to the reconciler (for example a status-only
/// write of a parent object, see <see cref="ChangePredicates"/>); adds and deletes always pass.
/// </summary>
public sealed class EnqueueHandler<T>(WorkQueue<ObjectKey> queue, Func<T, IEnumerable<ObjectKey>> keys, Func<T, T, bool>? updateFilter = null) : IInformerHandler<T>
{
    public void OnAdd(T value) => Enqueue(value);

    public void OnUpdate(T previous, T current)
    {
        if (updateFilter is not null && !updateFilter(previous, current))
        {
            return;
        }

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
