using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing.FakeKubernetes.Api;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>Builds the real server's apply-conflict Status (reason Conflict, causes of type FieldManagerConflict).</summary>
internal static class ApplyConflictException
{
    public static ApiException Create(IReadOnlyList<ApplyConflict> conflicts)
    {
        var ordered = conflicts.OrderBy(c => c.ManagerDisplayName, StringComparer.Ordinal).ThenBy(c => c.Path, StringComparer.Ordinal).ToList();
        var causes = new JsonArray();
        foreach (var conflict in ordered)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with {conflict.ManagerDisplayName}",
                ["field"] = conflict.Path,
            });
        }

        string message;
        if (ordered.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {ordered[0].ManagerDisplayName}: {ordered[0].Path}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var group in ordered.GroupBy(c => c.ManagerDisplayName, StringComparer.Ordinal))
            {
                lines.Add($"conflicts with {group.Key}:");
                lines.AddRange(group.Select(c => $"- {c.Path}"));
            }

            message = $"Apply failed with {ordered.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new ApiException(409, StatusReasons.Conflict, message, new JsonObject { ["causes"] = causes });
    }
}
