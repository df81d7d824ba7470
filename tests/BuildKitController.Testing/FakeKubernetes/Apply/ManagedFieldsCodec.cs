using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Json;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>Reads and writes <c>metadata.managedFields</c>, sorted the way the real server sorts them.</summary>
internal static class ManagedFieldsCodec
{
    public static List<ManagedFieldsEntry> Decode(JsonObject? obj)
    {
        var result = new List<ManagedFieldsEntry>();
        if (obj?.MetadataOrNull()?["managedFields"] is not JsonArray entries)
        {
            return result;
        }

        foreach (var entry in entries.OfType<JsonObject>())
        {
            result.Add(new ManagedFieldsEntry(
                entry.GetString("manager") ?? "",
                entry.GetString("operation") ?? ManagedFieldsEntry.Update,
                entry.GetString("apiVersion") ?? "",
                entry.GetString("time"),
                entry.GetString("subresource"),
                FieldSet.FromFieldsV1(entry["fieldsV1"] as JsonObject)));
        }

        return result;
    }

    public static void Encode(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var sorted = entries
            .Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal)
            .ToList();
        if (sorted.Count == 0)
        {
            obj.Metadata().Remove("managedFields");
            return;
        }

        var array = new JsonArray();
        foreach (var entry in sorted)
        {
            var json = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
            };
            if (entry.Time is not null)
            {
                json["time"] = entry.Time;
            }

            json["fieldsType"] = "FieldsV1";
            json["fieldsV1"] = entry.Fields.ToFieldsV1();
            if (entry.Subresource is not null)
            {
                json["subresource"] = entry.Subresource;
            }

            array.Add(json);
        }

        obj.Metadata()["managedFields"] = array;
    }
}
