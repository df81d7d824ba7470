using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>Merges an applied configuration into the live object: maps recursively, associative lists by key, sets by value, atomic lists replaced.</summary>
internal static class ApplyMerger
{
    public static JsonObject Merge(JsonObject live, JsonObject applied, IListSemanticsProvider semantics) =>
        (JsonObject)MergeNode(live, applied, [], semantics)!;

    private static JsonNode? MergeNode(JsonNode? live, JsonNode? applied, List<string> names, IListSemanticsProvider semantics)
    {
        if (applied is JsonObject appliedObject && live is JsonObject liveObject)
        {
            var result = (JsonObject)liveObject.DeepClone();
            foreach (var (key, value) in appliedObject)
            {
                result[key] = MergeNode(liveObject[key], value, [.. names, key], semantics);
            }

            return result;
        }

        if (applied is JsonArray appliedList && live is JsonArray liveList)
        {
            return MergeList(liveList, appliedList, names, semantics);
        }

        return applied?.DeepClone();
    }

    private static JsonArray MergeList(JsonArray live, JsonArray applied, List<string> names, IListSemanticsProvider semantics)
    {
        var list = semantics.Resolve(names);
        switch (list.Type)
        {
            case ListType.Set:
                {
                    var result = (JsonArray)live.DeepClone();
                    foreach (var item in applied)
                    {
                        if (!result.Any(existing => JsonNode.DeepEquals(existing, item)))
                        {
                            result.Add(item?.DeepClone());
                        }
                    }

                    return result;
                }

            case ListType.Map when live.Concat(applied).All(i => i is JsonObject o && FieldPath.Key(o, list.Keys) is not null):
                {
                    var result = (JsonArray)live.DeepClone();
                    foreach (var item in applied.Cast<JsonObject>())
                    {
                        var key = FieldPath.Key(item, list.Keys);
                        var index = result.Select((existing, i) => (existing, i))
                            .FirstOrDefault(x => FieldPath.Key((JsonObject)x.existing!, list.Keys) == key, (null, -1)).i;
                        if (index < 0)
                        {
                            result.Add(item.DeepClone());
                        }
                        else
                        {
                            result[index] = MergeNode(result[index], item, names, semantics);
                        }
                    }

                    return result;
                }

            default:
                return (JsonArray)applied.DeepClone();
        }
    }
}
