using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>
/// A thread-safe, indexed store of the objects an informer has seen. Objects handed out are shared: callers must
/// not mutate them (build a new object, or clone, before writing). Built-in indexes: by namespace, and by
/// any custom index registered before the informer starts (e.g. workers by pool, by token hash).
/// </summary>
public sealed class ObjectCache<T>
    where T : class, IKubernetesObject
{
    public const string NamespaceIndex = "namespace";

    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, T> _items = [];
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    // Each bucket holds the objects themselves, so a lookup by index copies references instead of resolving keys.
    private readonly Dictionary<string, Dictionary<string, Dictionary<ObjectKey, T>>> _indexes = new(StringComparer.Ordinal);

    public ObjectCache() => AddIndex(NamespaceIndex, o => [o.Metadata.Namespace ?? ""]);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Registers an index; existing items are indexed at once.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> indexer)
    {
        lock (_lock)
        {
            if (!_indexers.TryAdd(name, indexer))
            {
                throw new InvalidOperationException($"index '{name}' already exists");
            }

            var index = new Dictionary<string, Dictionary<ObjectKey, T>>(StringComparer.Ordinal);
            _indexes[name] = index;
            foreach (var (key, item) in _items)
            {
                foreach (var value in indexer(item))
                {
                    Bucket(index, value)[key] = item;
                }
            }
        }
    }

    public T? Get(ObjectKey key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public T? Get(string? ns, string name) => Get(new ObjectKey(ns ?? "", name));

    public IReadOnlyList<T> List()
    {
        lock (_lock)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<T> List(Func<T, bool> predicate)
    {
        lock (_lock)
        {
            return [.. _items.Values.Where(predicate)];
        }
    }

    public IReadOnlyList<T> ListByNamespace(string? ns) => ByIndex(NamespaceIndex, ns ?? "");

    /// <summary>Objects whose indexer produced <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(indexName, out var index))
            {
                throw new InvalidOperationException($"no index named '{indexName}'");
            }

            return index.TryGetValue(value, out var bucket) ? [.. bucket.Values] : [];
        }
    }

    public IReadOnlyList<ObjectKey> Keys()
    {
        lock (_lock)
        {
            return [.. _items.Keys];
        }
    }

    /// <summary>Inserts or replaces; returns the previous object.</summary>
    internal T? Upsert(T item)
    {
        var key = ObjectKey.Of(item);
        lock (_lock)
        {
            var previous = _items.GetValueOrDefault(key);
            if (previous is not null)
            {
                Unindex(key, previous);
            }

            _items[key] = item;
            Index(key, item);
            return previous;
        }
    }

    /// <summary>Removes; returns the removed object.</summary>
    internal T? Remove(ObjectKey key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var previous))
            {
                return null;
            }

            Unindex(key, previous);
            return previous;
        }
    }

    private void Index(ObjectKey key, T item)
    {
        foreach (var (name, indexer) in _indexers)
        {
            foreach (var value in indexer(item))
            {
                Bucket(_indexes[name], value)[key] = item;
            }
        }
    }

    private void Unindex(ObjectKey key, T item)
    {
        foreach (var (name, indexer) in _indexers)
        {
            var index = _indexes[name];
            foreach (var value in indexer(item))
            {
                if (index.TryGetValue(value, out var bucket))
                {
                    bucket.Remove(key);
                    if (bucket.Count == 0)
                    {
                        index.Remove(value);
                    }
                }
            }
        }
    }

    private static Dictionary<ObjectKey, T> Bucket(Dictionary<string, Dictionary<ObjectKey, T>> index, string value)
    {
        if (!index.TryGetValue(value, out var bucket))
        {
            bucket = [];
            index[value] = bucket;
        }

        return bucket;
    }
}
