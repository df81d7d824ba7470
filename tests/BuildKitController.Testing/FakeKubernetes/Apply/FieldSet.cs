using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>An immutable set of member field paths (see <see cref="FieldPath"/>), with FieldsV1 encoding.</summary>
internal sealed class FieldSet
{
    private readonly HashSet<string> _paths;

    public FieldSet(IEnumerable<string> paths) => _paths = new HashSet<string>(paths, StringComparer.Ordinal);

    public static FieldSet Empty { get; } = new([]);

    public IReadOnlyCollection<string> Paths => _paths;

    public bool IsEmpty => _paths.Count == 0;

    public bool Contains(string path) => _paths.Contains(path);

    /// <summary>Whether the set holds <paramref name="path"/> or anything below it.</summary>
    public bool ContainsOrHasDescendant(string path) => _paths.Contains(path) || _paths.Any(p => FieldPath.IsDescendant(p, path));

    public FieldSet Union(IEnumerable<string> other) => new(_paths.Concat(other));

    public FieldSet Except(IEnumerable<string> other)
    {
        var result = new HashSet<string>(_paths, StringComparer.Ordinal);
        result.ExceptWith(other);
        return new FieldSet(result);
    }

    public FieldSet Intersect(IEnumerable<string> other)
    {
        var result = new HashSet<string>(_paths, StringComparer.Ordinal);
        result.IntersectWith(other);
        return new FieldSet(result);
    }

    public bool SetEquals(FieldSet other) => _paths.SetEquals(other._paths);

    /// <summary>The FieldsV1 JSON (<c>{"f:spec":{"f:replicas":{}}}</c>, <c>"."</c> marking members that have children).</summary>
    public JsonObject ToFieldsV1()
    {
        var root = new Node();
        foreach (var path in _paths)
        {
            var node = root;
            foreach (var element in FieldPath.Elements(path))
            {
                if (!node.Children.TryGetValue(element, out var child))
                {
                    child = new Node();
                    node.Children[element] = child;
                }

                node = child;
            }

            node.IsMember = true;
        }

        return root.ToJson(isRoot: true);
    }

    public static FieldSet FromFieldsV1(JsonObject? fields)
    {
        var paths = new List<string>();
        if (fields is not null)
        {
            Read(fields, "", paths);
        }

        return new FieldSet(paths);
    }

    private static void Read(JsonObject node, string path, List<string> paths)
    {
        foreach (var (element, child) in node)
        {
            if (element == ".")
            {
                if (path.Length > 0)
                {
                    paths.Add(path);
                }

                continue;
            }

            var childPath = FieldPath.Join(path, element);
            if (child is JsonObject { Count: > 0 } grandChildren)
            {
                Read(grandChildren, childPath, paths);
            }
            else
            {
                paths.Add(childPath);
            }
        }
    }

    private sealed class Node
    {
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public bool IsMember { get; set; }

        public JsonObject ToJson(bool isRoot)
        {
            var json = new JsonObject();
            if (IsMember && Children.Count > 0 && !isRoot)
            {
                json["."] = new JsonObject();
            }

            foreach (var (element, child) in Children)
            {
                json[element] = child.ToJson(isRoot: false);
            }

            return json;
        }
    }
}
