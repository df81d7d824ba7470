using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Json;

namespace BuildKitController.Testing.FakeKubernetes.Storage;

/// <summary>
/// One stored state of an object, kept serialized (like etcd keeps bytes): a read-only <see cref="JsonElement"/> over
/// one buffer instead of a tree of nodes, so a store of thousands of objects and their history is a few arrays per
/// object for the garbage collector, not hundreds of nodes. Readers get a fresh node tree from <see cref="ToNode"/>
/// (built lazily over the element), which they own and may change; the stored state itself never changes.
/// </summary>
internal sealed class StoredObject
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 1000 };

    private StoredObject(JsonElement root, string ns, string name, string uid, long resourceVersion, bool beingDeleted)
    {
        Root = root;
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = resourceVersion;
        IsBeingDeleted = beingDeleted;
    }

    /// <summary>The stored state; safe to read from any thread.</summary>
    public JsonElement Root { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public long ResourceVersion { get; }

    public bool IsBeingDeleted { get; }

    public string ItemKey => ObjectStore.ItemKey(Namespace, Name);

    /// <summary>Serializes <paramref name="obj"/> (which the caller must not change afterwards for the store's sake; the copy is taken here).</summary>
    public static StoredObject From(JsonObject obj)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, FakeJson.WriterOptions))
        {
            obj.WriteTo(writer);
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan, ReaderOptions);
        var root = JsonElement.ParseValue(ref reader);
        var metadata = root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        return new StoredObject(
            root,
            String(metadata, "namespace") ?? "",
            String(metadata, "name") ?? "",
            String(metadata, "uid") ?? "",
            long.TryParse(String(metadata, "resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0,
            String(metadata, "deletionTimestamp") is not null);
    }

    /// <summary>A fresh, mutable node tree of this state (materialized lazily as it is read).</summary>
    public JsonObject ToNode() => JsonObject.Create(Root) ?? [];

    /// <summary>The object's labels (read from the stored bytes; a new map each call).</summary>
    public IReadOnlyDictionary<string, string> Labels()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in labels.EnumerateObject())
            {
                result[label.Name] = label.Value.ValueKind == JsonValueKind.String ? label.Value.GetString()! : label.Value.GetRawText();
            }
        }

        return result;
    }

    /// <summary>Reads a dotted path (<c>spec.nodeName</c>) as a string the way field selectors see it.</summary>
    public string? ReadPath(string dottedPath)
    {
        var current = Root;
        foreach (var part in dottedPath.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current) || current.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Object or JsonValueKind.Array => null,
            _ => current.GetRawText(),
        };
    }

    private static string? String(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
