using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Watch;

/// <summary>One watch event as sent on the wire: <c>{"type":…,"object":…}</c>.</summary>
internal sealed record WatchMessage(string Type, JsonObject Object)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
