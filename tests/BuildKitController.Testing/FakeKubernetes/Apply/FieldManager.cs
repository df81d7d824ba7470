using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>
/// Server-side apply and managedFields tracking (structured-merge-diff's Updater): Apply merges, prunes fields the
/// manager stopped applying, detects conflicts; Update hands changed fields to the updating manager.
/// </summary>
internal static class FieldManager
{
    public const string BeforeFirstApply = "before-first-apply";

    /// <summary>Applies <paramref name="applied"/> to <paramref name="live"/> (null when creating); returns the new object with managedFields set.</summary>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, FieldManagerRequest request, bool force)
    {
        var semantics = request.Semantics;
        var managers = ManagedFieldsCodec.Decode(live);
        if (live is not null && managers.Count == 0)
        {
            var existing = FieldSetBuilder.Build(live, semantics);
            if (!existing.IsEmpty)
            {
                managers.Add(new ManagedFieldsEntry(BeforeFirstApply, ManagedFieldsEntry.Update, request.ApiVersion, null, null, existing));
            }
        }

        var mine = new ManagedFieldsEntry(request.Manager, ManagedFieldsEntry.Apply, request.ApiVersion, request.Time, request.Subresource, FieldSetBuilder.Build(applied, semantics));
        var previous = managers.FirstOrDefault(m => m.Identity == mine.Identity);
        var others = managers.Where(m => m.Identity != mine.Identity).ToList();

        var baseObject = live ?? new JsonObject();
        var merged = ApplyMerger.Merge(baseObject, applied, semantics);
        if (previous is not null)
        {
            var owned = others.Aggregate(mine.Fields, (set, m) => set.Union(m.Fields.Paths));
            var prune = previous.Fields.Paths.Where(p => !owned.ContainsOrHasDescendant(p)).ToList();
            FieldRemover.Remove(merged, prune, semantics);
        }

        var comparison = FieldComparison.Compare(live, merged, semantics);
        var changed = comparison.Added.Concat(comparison.Modified).ToHashSet(StringComparer.Ordinal);
        var conflicts = new List<ApplyConflict>();
        for (var i = 0; i < others.Count; i++)
        {
            var taken = others[i].Fields.Intersect(changed);
            if (!taken.IsEmpty)
            {
                conflicts.AddRange(taken.Paths.Select(p => new ApplyConflict(others[i].DisplayName, FieldPath.Display(p))));
            }

            others[i] = others[i] with { Fields = others[i].Fields.Except(taken.Paths).Except(comparison.Removed) };
        }

        if (conflicts.Count > 0 && !force)
        {
            throw ApplyConflictException.Create(conflicts);
        }

        if (previous is not null && previous.Fields.SetEquals(mine.Fields) && comparison.IsSame)
        {
            mine = mine with { Time = previous.Time, ApiVersion = previous.ApiVersion };
        }

        ManagedFieldsCodec.Encode(merged, [.. others, mine]);
        return merged;
    }

    /// <summary>Records a non-apply write: fields it added or changed move to the updating manager; removed fields leave every manager.</summary>
    public static void RecordUpdate(IReadOnlyList<ManagedFieldsEntry> managers, JsonObject? live, JsonObject updated, FieldManagerRequest request)
    {
        var semantics = request.Semantics;
        var comparison = FieldComparison.Compare(live, updated, semantics);
        if (comparison.IsSame)
        {
            ManagedFieldsCodec.Encode(updated, managers);
            return;
        }

        var changed = comparison.Added.Concat(comparison.Modified).ToList();
        var identity = (request.Manager, ManagedFieldsEntry.Update, request.Subresource ?? "", request.ApiVersion);
        var result = new List<ManagedFieldsEntry>();
        ManagedFieldsEntry? mine = null;
        foreach (var entry in managers)
        {
            if (entry.Identity == identity)
            {
                mine = entry;
                continue;
            }

            result.Add(entry with { Fields = entry.Fields.Except(changed).Except(comparison.Removed) });
        }

        var fields = (mine?.Fields ?? FieldSet.Empty).Except(comparison.Removed).Union(changed);
        result.Add(new ManagedFieldsEntry(request.Manager, ManagedFieldsEntry.Update, request.ApiVersion, request.Time, request.Subresource, fields));
        ManagedFieldsCodec.Encode(updated, result);
    }
}
