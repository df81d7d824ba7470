using System.Text.Json.Nodes;
using System.Threading.Channels;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Selectors;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Watch;

/// <summary>
/// One open watch: filters store events by namespace and selectors the way the watch cache does (an object
/// that starts matching arrives as ADDED, one that stops matching as DELETED) and queues them for the stream.
/// </summary>
internal sealed class WatchSubscription(RegisteredResource resource, string? ns, LabelSelectorQuery labels, FieldSelectorQuery fields, bool bookmarks) : IDisposable
{
    private readonly Channel<WatchMessage> _channel = Channel.CreateUnbounded<WatchMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _dropped = new();

    public RegisteredResource Resource => resource;

    public bool WantsBookmarks => bookmarks;

    public ChannelReader<WatchMessage> Reader => _channel.Reader;

    /// <summary>Cancelled when a fault drops the stream (the connection is then aborted).</summary>
    public CancellationToken Dropped => _dropped.Token;

    public bool Matches(StoredObject obj) =>
        (string.IsNullOrEmpty(ns) || obj.Namespace == ns) && (labels.IsEmpty || labels.Matches(obj.Labels())) && fields.Matches(obj);

    public void Deliver(StoredEvent change)
    {
        if (change.Resource.StorageKey != resource.StorageKey)
        {
            return;
        }

        var current = change.Type != WatchEventType.Deleted && Matches(change.Object);
        var previous = change.Previous is not null && Matches(change.Previous);
        if (current && !previous)
        {
            Enqueue(WatchMessage.Added, change.Object);
        }
        else if (current)
        {
            Enqueue(WatchMessage.Modified, change.Object);
        }
        else if (previous)
        {
            if (change.Type == WatchEventType.Deleted)
            {
                Enqueue(WatchMessage.Deleted, change.Object);
            }
            else
            {
                var last = change.Previous!.ToNode();
                last.Metadata()["resourceVersion"] = ObjectStore.FormatVersion(change.ResourceVersion);
                Enqueue(WatchMessage.Deleted, last);
            }
        }
    }

    public void Enqueue(string type, JsonObject obj) => _channel.Writer.TryWrite(new WatchMessage(type, obj));

    public void Enqueue(string type, StoredObject obj) => _channel.Writer.TryWrite(new WatchMessage(type, obj));

    public void Bookmark(long resourceVersion, bool initialEventsEnd)
    {
        if (!bookmarks)
        {
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = ObjectStore.FormatVersion(resourceVersion) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        Enqueue(WatchMessage.Bookmark, new JsonObject
        {
            ["kind"] = resource.Type.Kind,
            ["apiVersion"] = resource.Type.ApiVersion,
            ["metadata"] = metadata,
        });
    }

    /// <summary>Ends the stream gracefully once queued events are written.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Ends the stream abruptly (connection abort).</summary>
    public void Drop()
    {
        try
        {
            _dropped.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _dropped.Dispose();
}
