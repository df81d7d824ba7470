using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds: lists with a patch merge key merge item by item, primitive merge
/// lists merge as sets, other lists are replaced. Supports <c>$patch: delete|replace|merge</c>,
/// <c>$deleteFromPrimitiveList/…</c> and <c>$retainKeys</c>; <c>$setElementOrder/…</c> is accepted and ignored.
/// </summary>
internal static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";

    public static JsonObject Apply(JsonObject original, JsonObject patch, IListSemanticsProvider semantics) =>
        MergeMap(original, patch, [], semantics) ?? [];

    private static JsonObject? MergeMap(JsonObject? original, JsonObject patch, List<string> path, IListSemanticsProvider semantics)
    {
        switch (Directive(patch))
        {
            case "delete":
                return null;
            case "replace":
                return (JsonObject)Strip(patch)!;
            case null or "merge":
                break;
            default:
                throw new PatchException($"Unknown patch type: {Directive(patch)} in map: {patch.ToJsonString()}");
        }

        var result = original is null ? [] : (JsonObject)original.DeepClone();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal) && value is JsonArray toDelete
                    && result[key["$deleteFromPrimitiveList/".Length..]] is JsonArray primitives)
                {
                    for (var i = primitives.Count - 1; i >= 0; i--)
                    {
                        if (toDelete.Any(d => JsonNode.DeepEquals(d, primitives[i])))
                        {
                            primitives.RemoveAt(i);
                        }
                    }
                }

                continue;
            }

            var childPath = new List<string>(path) { key };
            switch (value)
            {
                case null:
                    result.Remove(key);
                    break;
                case JsonObject patchObject:
                    {
                        var merged = MergeMap(result[key] as JsonObject, patchObject, childPath, semantics);
                        if (merged is null)
                        {
                            result.Remove(key);
                        }
                        else
                        {
                            result[key] = merged;
                        }

                        break;
                    }

                case JsonArray patchArray:
                    {
                        var list = semantics.Resolve(childPath);
                        result[key] = list.PatchMerge
                            ? MergeList(result[key] as JsonArray, patchArray, list, childPath, semantics)
                            : StripList(patchArray);
                        break;
                    }

                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, ListSemantics list, List<string> path, IListSemanticsProvider semantics)
    {
        if (patch.Any(item => item is JsonObject o && Directive(o) == "replace"))
        {
            return StripList(new JsonArray([.. patch.Where(item => !(item is JsonObject o && Directive(o) == "replace")).Select(i => i?.DeepClone())]));
        }

        var result = original is null ? [] : (JsonArray)original.DeepClone();
        if (list.PatchMergeKey is not { } mergeKey)
        {
            foreach (var item in patch)
            {
                if (item is JsonObject directive && Directive(directive) is not null)
                {
                    continue;
                }

                if (!result.Any(existing => JsonNode.DeepEquals(existing, item)))
                {
                    result.Add(item?.DeepClone());
                }
            }

            return result;
        }

        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem)
            {
                result.Add(item?.DeepClone());
                continue;
            }

            var keyValue = patchItem[mergeKey] ?? throw new PatchException($"map: {patchItem.ToJsonString()} does not contain declared merge key: {mergeKey}");
            var index = IndexOf(result, mergeKey, keyValue);
            if (Directive(patchItem) == "delete")
            {
                while (index >= 0)
                {
                    result.RemoveAt(index);
                    index = IndexOf(result, mergeKey, keyValue);
                }

                continue;
            }

            if (index < 0)
            {
                result.Add(Strip(patchItem));
                continue;
            }

            var merged = MergeMap(result[index] as JsonObject, patchItem, path, semantics);
            if (merged is null)
            {
                result.RemoveAt(index);
            }
            else
            {
                result[index] = merged;
            }
        }

        return result;
    }

    private static int IndexOf(JsonArray list, string mergeKey, JsonNode keyValue)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject candidate && JsonNode.DeepEquals(candidate[mergeKey], keyValue))
            {
                return i;
            }
        }

        return -1;
    }

    private static string? Directive(JsonObject obj) => (obj[PatchDirective] as JsonValue)?.ToString();

    private static JsonArray StripList(JsonArray list) => new([.. list.Select(Strip)]);

    /// <summary>A deep copy without patch directives.</summary>
    private static JsonNode? Strip(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => !p.Key.StartsWith('$'))
            .Select(p => KeyValuePair.Create(p.Key, Strip(p.Value)))),
        JsonArray array => StripList(array),
        _ => node?.DeepClone(),
    };
}
