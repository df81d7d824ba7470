using System.Globalization;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Selectors;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Watch;

/// <summary>Open watches: starts them consistently with the store (replay or initial state, then live) and fans events out.</summary>
internal sealed class WatchHub : IDisposable
{
    private readonly ObjectStore _store;
    private readonly List<WatchSubscription> _subscriptions = [];
    private readonly ITimer? _bookmarkTimer;

    public WatchHub(ObjectStore store, TimeProvider time, TimeSpan bookmarkInterval)
    {
        _store = store;
        store.Observe(Dispatch);
        if (bookmarkInterval > TimeSpan.Zero && bookmarkInterval != Timeout.InfiniteTimeSpan)
        {
            _bookmarkTimer = time.CreateTimer(_ => SendBookmarks(), null, bookmarkInterval, bookmarkInterval);
        }
    }

    public int Count
    {
        get
        {
            lock (_store.Gate)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>
    /// Opens a watch. An empty or "0" resourceVersion (or sendInitialEvents) starts with synthetic ADDED events
    /// for the current state; otherwise retained history newer than the version is replayed (410 when compacted).
    /// </summary>
    public WatchSubscription Start(RegisteredResource resource, string? ns, LabelSelectorQuery labels, FieldSelectorQuery fields,
        string? resourceVersion, bool bookmarks, bool sendInitialEvents)
    {
        long since = 0;
        var fromState = sendInitialEvents || string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0";
        if (!fromState && !long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out since))
        {
            throw ApiErrors.BadRequest($"invalid resource version \"{resourceVersion}\"");
        }

        var subscription = new WatchSubscription(resource, ns, labels, fields, bookmarks);
        lock (_store.Gate)
        {
            try
            {
                if (fromState)
                {
                    foreach (var obj in _store.StoredItems(resource, ns))
                    {
                        if (subscription.Matches(obj))
                        {
                            subscription.Enqueue(WatchMessage.Added, obj);
                        }
                    }

                    if (sendInitialEvents)
                    {
                        subscription.Bookmark(_store.CurrentResourceVersion, initialEventsEnd: true);
                    }
                }
                else
                {
                    foreach (var change in _store.EventsAfter(resource, since))
                    {
                        subscription.Deliver(change);
                    }
                }
            }
            catch
            {
                subscription.Dispose();
                throw;
            }

            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    public void Stop(WatchSubscription subscription)
    {
        lock (_store.Gate)
        {
            _subscriptions.Remove(subscription);
        }

        subscription.Complete();
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every watch that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (_store.Gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Bookmark(_store.CurrentResourceVersion, initialEventsEnd: false);
            }
        }
    }

    /// <summary>Aborts every open watch connection; returns how many were dropped.</summary>
    public int DropAll()
    {
        List<WatchSubscription> dropped;
        lock (_store.Gate)
        {
            dropped = [.. _subscriptions];
        }

        foreach (var subscription in dropped)
        {
            subscription.Drop();
        }

        return dropped.Count;
    }

    /// <summary>Ends every open watch gracefully (server shutdown).</summary>
    public void CloseAll()
    {
        lock (_store.Gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Complete();
            }
        }
    }

    public void Dispose() => _bookmarkTimer?.Dispose();

    private void Dispatch(StoredEvent change)
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Deliver(change);
        }
    }
}
