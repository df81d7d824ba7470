using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Patching;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.Tests.FakeKubernetes.Storage;

public sealed class ObjectStoreTests
{
    private static readonly RegisteredResource ConfigMaps = new()
    {
        Type = ConfigMap.Resource,
        Singular = "configmap",
        ListSemantics = BuiltInListSemantics.Instance,
    };

    private static JsonObject ConfigMapObject(string name, long resourceVersion, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["uid"] = $"uid-{name}",
            ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["labels"] = new JsonObject { ["app"] = "web", ["tier"] = "1" },
        },
        ["data"] = new JsonObject { ["key"] = value },
    };

    [Fact]
    public void Changing_a_returned_object_or_the_stored_one_after_the_write_never_reaches_the_store()
    {
        var store = new ObjectStore(100);
        var written = ConfigMapObject("a", store.NextResourceVersion(), "one");
        store.Put(ConfigMaps, written);

        written["data"]!["key"] = "changed by the writer";
        var read = store.Get(ConfigMaps, "default", "a")!;
        read["data"]!["key"] = "changed by a reader";

        Assert.Equal("one", (string?)store.Get(ConfigMaps, "default", "a")!["data"]!["key"]);
        Assert.NotSame(store.Get(ConfigMaps, "default", "a"), store.Get(ConfigMaps, "default", "a"));
    }

    [Fact]
    public void History_keeps_each_state_as_it_was_written()
    {
        var store = new ObjectStore(100);
        store.Put(ConfigMaps, ConfigMapObject("a", store.NextResourceVersion(), "one"));
        var first = store.CurrentResourceVersion;
        store.Put(ConfigMaps, ConfigMapObject("a", store.NextResourceVersion(), "two"));
        store.Remove(ConfigMaps, ConfigMapObject("a", store.NextResourceVersion(), "two"));

        var events = store.EventsAfter(ConfigMaps, 0);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal("one", events[1].Previous!.ReadPath("data.key"));
        Assert.Equal("two", events[1].Object.ReadPath("data.key"));
        Assert.Equal(events[1].Object.ResourceVersion, events[2].Previous!.ResourceVersion);
        Assert.Null(store.Get(ConfigMaps, "default", "a"));
        Assert.Equal("one", Assert.Single(store.SnapshotAt(ConfigMaps, "default", first)).ReadPath("data.key"));
    }

    [Fact]
    public void A_stored_state_answers_metadata_labels_and_field_paths_from_its_bytes()
    {
        var obj = ConfigMapObject("a", 7, "one");
        obj["spec"] = new JsonObject { ["replicas"] = 3, ["paused"] = false, ["nested"] = new JsonObject { ["x"] = "y" } };
        obj.Metadata()["deletionTimestamp"] = "2026-03-02T12:00:00Z";

        var stored = StoredObject.From(obj);

        Assert.Equal(("default", "a", "uid-a", 7L, true), (stored.Namespace, stored.Name, stored.Uid, stored.ResourceVersion, stored.IsBeingDeleted));
        Assert.Equal("default/a", stored.ItemKey);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "1" }, stored.Labels());
        Assert.Equal("3", stored.ReadPath("spec.replicas"));
        Assert.Equal("false", stored.ReadPath("spec.paused"));
        Assert.Null(stored.ReadPath("spec.nested"));
        Assert.Null(stored.ReadPath("spec.missing.deeper"));
        Assert.True(JsonNode.DeepEquals(obj, stored.ToNode()));
    }
}
