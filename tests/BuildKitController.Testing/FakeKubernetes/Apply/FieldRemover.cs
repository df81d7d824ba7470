using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>Removes member paths (fields, map entries, list items) from an object in place.</summary>
internal static class FieldRemover
{
    public static void Remove(JsonObject root, IEnumerable<string> paths, IListSemanticsProvider semantics)
    {
        foreach (var path in paths.OrderByDescending(p => FieldPath.Elements(p).Length))
        {
            RemoveOne(root, FieldPath.Elements(path), semantics);
        }
    }

    private static void RemoveOne(JsonObject root, string[] elements, IListSemanticsProvider semantics)
    {
        JsonNode? current = root;
        var names = new List<string>();
        for (var i = 0; i < elements.Length; i++)
        {
            var element = elements[i];
            var last = i == elements.Length - 1;
            if (element.StartsWith("f:", StringComparison.Ordinal))
            {
                var name = element[2..];
                names.Add(name);
                if (current is not JsonObject obj || !obj.ContainsKey(name))
                {
                    return;
                }

                if (last)
                {
                    obj.Remove(name);
                    return;
                }

                current = obj[name];
                continue;
            }

            if (current is not JsonArray array)
            {
                return;
            }

            var index = FindItem(array, element, semantics.Resolve(names));
            if (index < 0)
            {
                return;
            }

            if (last)
            {
                array.RemoveAt(index);
                return;
            }

            current = array[index];
        }
    }

    private static int FindItem(JsonArray array, string element, ListSemantics list)
    {
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            var matches = element[0] switch
            {
                'k' => item is JsonObject o && FieldPath.Key(o, list.Keys) == element,
                'v' => FieldPath.Value(item) == element,
                'i' => FieldPath.Index(i) == element,
                _ => false,
            };
            if (matches)
            {
                return i;
            }
        }

        return -1;
    }
}
