using System.Collections.Concurrent;

namespace BuildKitController.Operator.Auth;

/// <summary>
/// A small thread-safe cache whose entries expire on the injected clock. Bounded: when full, expired entries are
/// dropped, and if it is still full the new entry is simply not cached (answers are cheap to ask again; memory is
/// not).
/// </summary>
internal sealed class ExpiringCache<TKey, TValue>(TimeProvider time, int maxEntries)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, DateTimeOffset Expires)> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (time.GetUtcNow() < entry.Expires)
            {
                value = entry.Value;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<TKey, (TValue, DateTimeOffset)>(key, entry));
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero || maxEntries <= 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.Count >= maxEntries && !_entries.ContainsKey(key))
        {
            foreach (var (k, entry) in _entries)
            {
                if (entry.Expires <= now)
                {
                    _entries.TryRemove(new KeyValuePair<TKey, (TValue, DateTimeOffset)>(k, entry));
                }
            }

            if (_entries.Count >= maxEntries)
            {
                return;
            }
        }

        _entries[key] = (value, now + ttl);
    }
}
