using System.Globalization;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Storage;

/// <summary>
/// The fake's etcd: objects by resource and namespace/name (ordered like etcd keys), one global
/// resourceVersion counter, and a bounded history of changes for watch replay and consistent paging.
/// Every member must be called with <see cref="Gate"/> held; stored objects are never mutated.
/// </summary>
internal sealed class ObjectStore(int historyLimit)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (RegisteredResource Resource, string ItemKey)> _uids = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<Action<StoredEvent>> _observers = [];
    private long _resourceVersion;
    private int _historyLimit = Math.Max(1, historyLimit);

    public Lock Gate { get; } = new();

    public long CurrentResourceVersion => _resourceVersion;

    /// <summary>The highest resourceVersion whose event has been dropped from history (0 when none).</summary>
    public long CompactedThrough { get; private set; }

    public int HistoryLimit
    {
        get => _historyLimit;
        set
        {
            _historyLimit = Math.Max(1, value);
            Trim();
        }
    }

    public static string ItemKey(string ns, string name) => ns.Length == 0 ? name : $"{ns}/{name}";

    public static string FormatVersion(long rv) => rv.ToString(CultureInfo.InvariantCulture);

    /// <summary>Observers run under the gate, in commit order.</summary>
    public void Observe(Action<StoredEvent> observer) => _observers.Add(observer);

    public long NextResourceVersion() => ++_resourceVersion;

    public JsonObject? Get(RegisteredResource resource, string ns, string name) =>
        _collections.TryGetValue(resource.StorageKey, out var items) && items.TryGetValue(ItemKey(ns, name), out var obj) ? obj : null;

    public (RegisteredResource Resource, JsonObject Object)? FindByUid(string uid)
    {
        if (!_uids.TryGetValue(uid, out var entry) || !_collections.TryGetValue(entry.Resource.StorageKey, out var items)
            || !items.TryGetValue(entry.ItemKey, out var obj))
        {
            return null;
        }

        return (entry.Resource, obj);
    }

    /// <summary>Current objects of a resource in key order, optionally of one namespace.</summary>
    public IEnumerable<JsonObject> Items(RegisteredResource resource, string? ns)
    {
        if (!_collections.TryGetValue(resource.StorageKey, out var items))
        {
            return [];
        }

        return string.IsNullOrEmpty(ns) ? items.Values : items.Values.Where(o => o.Namespace() == ns);
    }

    public IEnumerable<(RegisteredResource Resource, JsonObject Object)> AllObjects(IReadOnlyList<RegisteredResource> resources)
    {
        foreach (var resource in resources)
        {
            if (_collections.TryGetValue(resource.StorageKey, out var items))
            {
                foreach (var obj in items.Values)
                {
                    yield return (resource, obj);
                }
            }
        }
    }

    /// <summary>Stores <paramref name="obj"/> (already stamped with a fresh resourceVersion) and records the event.</summary>
    public void Put(RegisteredResource resource, JsonObject obj, JsonObject? previous)
    {
        if (!_collections.TryGetValue(resource.StorageKey, out var items))
        {
            items = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _collections[resource.StorageKey] = items;
        }

        var key = ItemKey(obj.Namespace(), obj.Name());
        items[key] = obj;
        if (obj.Uid() is { Length: > 0 } uid)
        {
            _uids[uid] = (resource, key);
        }

        Record(new StoredEvent(obj.ResourceVersion(), resource, previous is null ? WatchEventType.Added : WatchEventType.Modified, obj, previous));
    }

    /// <summary>Removes an object; <paramref name="tombstone"/> is its last state stamped with the deletion's resourceVersion.</summary>
    public void Remove(RegisteredResource resource, JsonObject tombstone, JsonObject previous)
    {
        if (_collections.TryGetValue(resource.StorageKey, out var items))
        {
            items.Remove(ItemKey(previous.Namespace(), previous.Name()));
        }

        _uids.Remove(previous.Uid());
        Record(new StoredEvent(tombstone.ResourceVersion(), resource, WatchEventType.Deleted, tombstone, previous));
    }

    /// <summary>History events of a resource newer than <paramref name="resourceVersion"/>; 410 when compacted away.</summary>
    public IReadOnlyList<StoredEvent> EventsAfter(RegisteredResource resource, long resourceVersion)
    {
        EnsureRetained(resourceVersion, watch: true);
        var result = new List<StoredEvent>();
        for (var node = _history.Last; node is not null && node.Value.ResourceVersion > resourceVersion; node = node.Previous)
        {
            if (node.Value.Resource.StorageKey == resource.StorageKey)
            {
                result.Add(node.Value);
            }
        }

        result.Reverse();
        return result;
    }

    /// <summary>The objects of a resource as they were at <paramref name="resourceVersion"/> (consistent paging).</summary>
    public IReadOnlyList<JsonObject> SnapshotAt(RegisteredResource resource, string? ns, long resourceVersion)
    {
        EnsureRetained(resourceVersion, watch: false);
        var state = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        if (_collections.TryGetValue(resource.StorageKey, out var items))
        {
            foreach (var (key, obj) in items)
            {
                state[key] = obj;
            }
        }

        for (var node = _history.Last; node is not null && node.Value.ResourceVersion > resourceVersion; node = node.Previous)
        {
            var change = node.Value;
            if (change.Resource.StorageKey != resource.StorageKey)
            {
                continue;
            }

            if (change.Previous is null)
            {
                state.Remove(change.ItemKey);
            }
            else
            {
                state[change.ItemKey] = change.Previous;
            }
        }

        return [.. string.IsNullOrEmpty(ns) ? state.Values : state.Values.Where(o => o.Namespace() == ns)];
    }

    /// <summary>Drops the whole history: every older resourceVersion becomes too old (410).</summary>
    public void Compact()
    {
        _history.Clear();
        CompactedThrough = _resourceVersion;
    }

    /// <summary>Removes every object of a resource without events (the resource itself is going away).</summary>
    public IReadOnlyList<JsonObject> DropCollection(RegisteredResource resource)
    {
        if (!_collections.Remove(resource.StorageKey, out var items))
        {
            return [];
        }

        foreach (var obj in items.Values)
        {
            _uids.Remove(obj.Uid());
        }

        return [.. items.Values];
    }

    private void EnsureRetained(long resourceVersion, bool watch)
    {
        if (resourceVersion >= CompactedThrough)
        {
            return;
        }

        throw watch
            ? ApiErrors.Expired($"too old resource version: {FormatVersion(resourceVersion)} ({FormatVersion(CompactedThrough)})")
            : ApiErrors.Expired(
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
    }

    private void Record(StoredEvent change)
    {
        _history.AddLast(change);
        Trim();
        foreach (var observer in _observers)
        {
            observer(change);
        }
    }

    private void Trim()
    {
        while (_history.Count > _historyLimit)
        {
            CompactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
    }
}
