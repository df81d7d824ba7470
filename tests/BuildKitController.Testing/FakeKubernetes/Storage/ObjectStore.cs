using System.Globalization;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Storage;

/// <summary>
/// The fake's etcd: objects by resource and namespace/name (ordered like etcd keys), one global
/// resourceVersion counter, and a bounded history of changes for watch replay and consistent paging.
/// Every member must be called with <see cref="Gate"/> held. States are kept serialized (<see cref="StoredObject"/>);
/// readers get fresh node trees, so nothing a caller does to a returned object reaches the store.
/// </summary>
internal sealed class ObjectStore(int historyLimit)
{
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _collections = new(StringComparer.Ordinal);
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

    /// <summary>A fresh node tree of the current state, or null.</summary>
    public JsonObject? Get(RegisteredResource resource, string ns, string name) => GetStored(resource, ns, name)?.ToNode();

    public StoredObject? GetStored(RegisteredResource resource, string ns, string name) =>
        _collections.TryGetValue(resource.StorageKey, out var items) && items.TryGetValue(ItemKey(ns, name), out var obj) ? obj : null;

    public bool Contains(RegisteredResource resource, string ns, string name) => GetStored(resource, ns, name) is not null;

    /// <summary>The current resourceVersion of an object (null when absent): what an optimistic commit compares against.</summary>
    public long? VersionOf(RegisteredResource resource, string ns, string name) => GetStored(resource, ns, name)?.ResourceVersion;

    public (RegisteredResource Resource, JsonObject Object)? FindByUid(string uid)
    {
        if (!_uids.TryGetValue(uid, out var entry) || !_collections.TryGetValue(entry.Resource.StorageKey, out var items)
            || !items.TryGetValue(entry.ItemKey, out var obj))
        {
            return null;
        }

        return (entry.Resource, obj.ToNode());
    }

    /// <summary>Current states of a resource in key order, optionally of one namespace.</summary>
    public IEnumerable<StoredObject> StoredItems(RegisteredResource resource, string? ns)
    {
        if (!_collections.TryGetValue(resource.StorageKey, out var items))
        {
            return [];
        }

        return string.IsNullOrEmpty(ns) ? items.Values : items.Values.Where(o => o.Namespace == ns);
    }

    /// <summary>Fresh node trees of the current objects of a resource in key order, optionally of one namespace.</summary>
    public IEnumerable<JsonObject> Items(RegisteredResource resource, string? ns) => StoredItems(resource, ns).Select(o => o.ToNode());

    public IEnumerable<(RegisteredResource Resource, JsonObject Object)> AllObjects(IReadOnlyList<RegisteredResource> resources)
    {
        foreach (var resource in resources)
        {
            if (_collections.TryGetValue(resource.StorageKey, out var items))
            {
                foreach (var obj in items.Values)
                {
                    yield return (resource, obj.ToNode());
                }
            }
        }
    }

    /// <summary>Stores a copy of <paramref name="obj"/> (already stamped with a fresh resourceVersion) and records the event.</summary>
    public void Put(RegisteredResource resource, JsonObject obj)
    {
        if (!_collections.TryGetValue(resource.StorageKey, out var items))
        {
            items = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _collections[resource.StorageKey] = items;
        }

        var stored = StoredObject.From(obj);
        var key = stored.ItemKey;
        items.TryGetValue(key, out var previous);
        items[key] = stored;
        if (stored.Uid.Length > 0)
        {
            _uids[stored.Uid] = (resource, key);
        }

        Record(new StoredEvent(stored.ResourceVersion, resource, previous is null ? WatchEventType.Added : WatchEventType.Modified, stored, previous));
    }

    /// <summary>Removes an object; <paramref name="tombstone"/> is its last state stamped with the deletion's resourceVersion.</summary>
    public void Remove(RegisteredResource resource, JsonObject tombstone)
    {
        var stored = StoredObject.From(tombstone);
        if (!_collections.TryGetValue(resource.StorageKey, out var items) || !items.Remove(stored.ItemKey, out var previous))
        {
            return;
        }

        _uids.Remove(previous.Uid);
        Record(new StoredEvent(stored.ResourceVersion, resource, WatchEventType.Deleted, stored, previous));
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
    public IReadOnlyList<StoredObject> SnapshotAt(RegisteredResource resource, string? ns, long resourceVersion)
    {
        EnsureRetained(resourceVersion, watch: false);
        var state = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
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

        return [.. string.IsNullOrEmpty(ns) ? state.Values : state.Values.Where(o => o.Namespace == ns)];
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
            _uids.Remove(obj.Uid);
        }

        return [.. items.Values.Select(o => o.ToNode())];
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
