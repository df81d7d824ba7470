using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>
/// Computes the field set of an object the way structured-merge-diff's ToFieldSet does: scalars, nulls, empty
/// maps and atomic lists are members; associative-list items (<c>k:</c>) and set items (<c>v:</c>) are members
/// too; struct fields with content are not. Server-managed metadata never appears.
/// </summary>
internal static class FieldSetBuilder
{
    private static readonly HashSet<string> IgnoredMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink",
    };

    public static Dictionary<string, FieldEntry> Entries(JsonObject? obj, IListSemanticsProvider semantics)
    {
        var entries = new Dictionary<string, FieldEntry>(StringComparer.Ordinal);
        if (obj is null)
        {
            return entries;
        }

        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (!IgnoredMetadata.Contains(metaKey))
                    {
                        Walk(metaValue, FieldPath.Join(FieldPath.Field("metadata"), FieldPath.Field(metaKey)), ["metadata", metaKey], semantics, entries);
                    }
                }

                continue;
            }

            Walk(value, FieldPath.Field(key), [key], semantics, entries);
        }

        return entries;
    }

    public static FieldSet Build(JsonObject? obj, IListSemanticsProvider semantics) => new(Entries(obj, semantics).Keys);

    private static void Walk(JsonNode? node, string path, List<string> names, IListSemanticsProvider semantics, Dictionary<string, FieldEntry> entries)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    entries[path] = new FieldEntry(obj, IsLeaf: true);
                    return;
                }

                foreach (var (key, value) in obj)
                {
                    Walk(value, FieldPath.Join(path, FieldPath.Field(key)), [.. names, key], semantics, entries);
                }

                return;
            case JsonArray array:
                WalkList(array, path, names, semantics, entries);
                return;
            default:
                entries[path] = new FieldEntry(node, IsLeaf: true);
                return;
        }
    }

    private static void WalkList(JsonArray array, string path, List<string> names, IListSemanticsProvider semantics, Dictionary<string, FieldEntry> entries)
    {
        var list = semantics.Resolve(names);
        if (list.Type == ListType.Set && array.All(i => i is JsonValue or null))
        {
            foreach (var item in array)
            {
                entries[FieldPath.Join(path, FieldPath.Value(item))] = new FieldEntry(item, IsLeaf: true);
            }

            return;
        }

        if (list.Type == ListType.Map && array.All(i => i is JsonObject o && FieldPath.Key(o, list.Keys) is not null))
        {
            foreach (var item in array.Cast<JsonObject>())
            {
                var itemPath = FieldPath.Join(path, FieldPath.Key(item, list.Keys)!);
                entries[itemPath] = new FieldEntry(item, IsLeaf: false);
                foreach (var (key, value) in item)
                {
                    Walk(value, FieldPath.Join(itemPath, FieldPath.Field(key)), [.. names, key], semantics, entries);
                }
            }

            return;
        }

        entries[path] = new FieldEntry(array, IsLeaf: true);
    }
}
