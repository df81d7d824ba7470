using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>Legacy (non-aggregated) discovery documents and <c>/version</c>.</summary>
internal static class DiscoveryEndpoints
{
    private static readonly string[] StoredVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    public static JsonObject Version(string gitVersion)
    {
        var parts = gitVersion.TrimStart('v').Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.Length > 1 ? parts[1] : "0",
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.4",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(ResourceRegistry registry)
    {
        var groups = new JsonArray();
        foreach (var group in registry.All().Where(r => r.Type.Group.Length > 0).GroupBy(r => r.Type.Group, StringComparer.Ordinal))
        {
            groups.Add(Group(group.Key, registry));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject Group(string name, ResourceRegistry registry)
    {
        var versions = registry.All().Where(r => r.Type.Group == name).Select(r => r.Type.Version).Distinct(StringComparer.Ordinal).ToList();
        if (versions.Count == 0)
        {
            throw ApiErrors.ResourceNotFound();
        }

        var list = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v })]);
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = list,
            ["preferredVersion"] = list[0]!.DeepClone(),
        };
    }

    public static JsonObject ResourceList(string group, string version, ResourceRegistry registry)
    {
        var resources = registry.All().Where(r => r.Type.Group == group && r.Type.Version == version).ToList();
        if (resources.Count == 0)
        {
            throw ApiErrors.ResourceNotFound();
        }

        var list = new JsonArray();
        foreach (var resource in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = resource.Type.Plural,
                ["singularName"] = resource.Singular,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Type.Kind,
                ["verbs"] = new JsonArray([.. (resource.IsReview ? ["create"] : StoredVerbs).Select(v => (JsonNode)v)]),
            };
            if (resource.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray([.. resource.ShortNames.Select(s => (JsonNode)s)]);
            }

            list.Add(entry);
            if (resource.HasStatus)
            {
                list.Add(new JsonObject
                {
                    ["name"] = $"{resource.Type.Plural}/status",
                    ["singularName"] = "",
                    ["namespaced"] = resource.Namespaced,
                    ["kind"] = resource.Type.Kind,
                    ["verbs"] = new JsonArray([.. StatusVerbs.Select(v => (JsonNode)v)]),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }
}
