using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Bench;

/// <summary>The requests one client (by authenticated user) made, with its writes grouped by verb and resource.</summary>
internal sealed record RequestSummary(int Requests, int Writes, IReadOnlyList<KeyValuePair<string, int>> WritesByKind)
{
    public static RequestSummary Empty { get; } = new(0, 0, []);

    public static RequestSummary Of(IEnumerable<RequestLogEntry> entries, string user)
    {
        var requests = 0;
        var writes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.User == user))
        {
            requests++;
            if (entry.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            {
                var kind = $"{entry.Method} {Resource(entry.PathAndQuery)}";
                writes[kind] = writes.GetValueOrDefault(kind) + 1;
            }
        }

        return new RequestSummary(requests, writes.Values.Sum(), [.. writes.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal)]);
    }

    /// <summary><c>/apis/g/v/namespaces/ns/plural/name/status?…</c> → <c>plural/status</c>.</summary>
    internal static string Resource(string pathAndQuery)
    {
        var path = pathAndQuery.Split('?', 2)[0];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var rest = segments switch
        {
            ["api", _, .. var r] => r,
            ["apis", _, _, .. var r] => r,
            _ => segments,
        };
        if (rest is ["namespaces", _, _, ..])
        {
            rest = rest[2..];
        }

        return rest switch
        {
            [var plural, _, var subresource, ..] => $"{plural}/{subresource}",
            [var plural, ..] => plural,
            _ => path,
        };
    }
}
