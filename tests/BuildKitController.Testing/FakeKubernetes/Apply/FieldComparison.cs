using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>What changed between two objects, as sets of member paths (structured-merge-diff's Comparison).</summary>
internal sealed record FieldComparison(IReadOnlySet<string> Added, IReadOnlySet<string> Modified, IReadOnlySet<string> Removed)
{
    public bool IsSame => Added.Count == 0 && Modified.Count == 0 && Removed.Count == 0;

    public static FieldComparison Compare(JsonObject? before, JsonObject? after, IListSemanticsProvider semantics)
    {
        var old = FieldSetBuilder.Entries(before, semantics);
        var current = FieldSetBuilder.Entries(after, semantics);
        var added = new HashSet<string>(StringComparer.Ordinal);
        var modified = new HashSet<string>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, entry) in current)
        {
            if (!old.TryGetValue(path, out var previous))
            {
                added.Add(path);
            }
            else if ((entry.IsLeaf || previous.IsLeaf) && !JsonNode.DeepEquals(entry.Value, previous.Value))
            {
                modified.Add(path);
            }
        }

        foreach (var path in old.Keys)
        {
            if (!current.ContainsKey(path))
            {
                removed.Add(path);
            }
        }

        return new FieldComparison(added, modified, removed);
    }
}
