using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Selectors;

/// <summary>A parsed <c>fieldSelector</c>; supports the fields the resource declares selectable.</summary>
internal sealed record FieldSelectorQuery(IReadOnlyList<FieldRequirement> Requirements)
{
    public static FieldSelectorQuery Everything { get; } = new([]);

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(JsonObject obj) => Requirements.All(r => (JsonAccess.ReadPath(obj, r.JsonPath) ?? "") == r.Value == r.Equal);

    public bool Matches(StoredObject obj) => Requirements.All(r => (obj.ReadPath(r.JsonPath) ?? "") == r.Value == r.Equal);

    /// <summary>Parses the selector; throws <see cref="FormatException"/> with the real server's wording.</summary>
    public static FieldSelectorQuery Parse(string? text, RegisteredResource resource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in text.Split(','))
        {
            var (field, equal, value) = SplitTerm(term);
            var path = field switch
            {
                "metadata.name" or "metadata.namespace" => field,
                _ when resource.SelectableFields.TryGetValue(field, out var p) => p,
                _ => throw new FormatException(resource.IsCustom
                    ? $"\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"{string.Concat(resource.SelectableFields.Keys.Select(k => $", \"{k}\""))}"
                    : $"field label not supported: {field}"),
            };
            requirements.Add(new FieldRequirement(field, path, equal, value));
        }

        return new FieldSelectorQuery(requirements);
    }

    private static (string Field, bool Equal, string Value) SplitTerm(string term)
    {
        foreach (var (op, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var index = term.IndexOf(op, StringComparison.Ordinal);
            if (index > 0)
            {
                return (term[..index].Trim(), equal, term[(index + op.Length)..].Trim());
            }
        }

        throw new FormatException($"invalid selector: '{term}'; can't understand '{term}'");
    }
}
