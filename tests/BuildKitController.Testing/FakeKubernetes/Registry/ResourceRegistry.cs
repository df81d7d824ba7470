using System.Collections.Concurrent;

namespace BuildKitController.Testing.FakeKubernetes.Registry;

/// <summary>The resources the fake serves, keyed by group, version and plural.</summary>
internal sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), RegisteredResource> _resources = new();

    public void Register(RegisteredResource resource) =>
        _resources[(resource.Type.Group, resource.Type.Version, resource.Type.Plural)] = resource;

    public RegisteredResource? Find(string group, string version, string plural) =>
        _resources.TryGetValue((group, version, plural), out var resource) ? resource : null;

    /// <summary>Any served version of <paramref name="group"/>/<paramref name="plural"/>.</summary>
    public RegisteredResource? FindAnyVersion(string group, string plural) =>
        _resources.Values.Where(r => r.Type.Group == group && r.Type.Plural == plural).OrderBy(r => r.Type.Version, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The served resource of a kind (apiVersion + kind), as owner references name it.</summary>
    public RegisteredResource? FindByKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return _resources.Values.FirstOrDefault(r => r.Type.Group == group && r.Type.Version == version && r.Type.Kind == kind);
    }

    public IReadOnlyList<RegisteredResource> All() =>
        [.. _resources.Values.OrderBy(r => r.Type.Group, StringComparer.Ordinal).ThenBy(r => r.Type.Version, StringComparer.Ordinal).ThenBy(r => r.Type.Plural, StringComparer.Ordinal)];

    /// <summary>Stored resources, one per storage key (versions of one CRD share storage).</summary>
    public IReadOnlyList<RegisteredResource> Stored() =>
        [.. All().Where(r => !r.IsReview).GroupBy(r => r.StorageKey, StringComparer.Ordinal).Select(g => g.First())];

    /// <summary>Removes every version registered by the CRD named <paramref name="definitionName"/>.</summary>
    public IReadOnlyList<RegisteredResource> UnregisterDefinition(string definitionName)
    {
        var removed = new List<RegisteredResource>();
        foreach (var (key, resource) in _resources)
        {
            if (resource.DefinitionName == definitionName && _resources.TryRemove(key, out _))
            {
                removed.Add(resource);
            }
        }

        return removed;
    }
}
