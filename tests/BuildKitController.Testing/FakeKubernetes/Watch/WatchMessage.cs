using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Watch;

/// <summary>
/// One watch event as sent on the wire: <c>{"type":…,"object":…}</c>. The object is a stored state (written straight
/// from its bytes) or, for bookmarks, errors and synthetic deletions, a node built for the occasion.
/// </summary>
internal sealed record WatchMessage
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    public WatchMessage(string type, JsonObject obj)
    {
        Type = type;
        Node = obj;
    }

    public WatchMessage(string type, StoredObject obj)
    {
        Type = type;
        Stored = obj;
    }

    public string Type { get; }

    public JsonObject? Node { get; }

    public StoredObject? Stored { get; }
}
