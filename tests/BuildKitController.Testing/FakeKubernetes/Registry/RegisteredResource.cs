using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Registry;

/// <summary>One served resource (a group/version/plural) and the behaviour the fake gives it.</summary>
internal sealed class RegisteredResource
{
    public required ResourceType Type { get; init; }

    public required string Singular { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Whether <c>/status</c> is a subresource (status is then ignored on the main resource).</summary>
    public bool HasStatus { get; init; }

    /// <summary>A custom resource served from a CustomResourceDefinition.</summary>
    public bool IsCustom { get; init; }

    /// <summary>Create-only, never stored (TokenReview, SubjectAccessReview).</summary>
    public bool IsReview { get; init; }

    /// <summary>Delete answers with the object rather than a Success Status (pods, services, ...).</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>Names must be DNS-1123 labels (namespaces) or DNS-1035 labels (services) instead of subdomains.</summary>
    public NameRule NameRule { get; init; } = NameRule.Subdomain;

    /// <summary>Field selector labels beyond <c>metadata.name</c>/<c>metadata.namespace</c>, mapped to JSON paths.</summary>
    public IReadOnlyDictionary<string, string> SelectableFields { get; init; } = new Dictionary<string, string>();

    public required IListSemanticsProvider ListSemantics { get; init; }

    /// <summary>The version's openAPIV3Schema (custom resources only).</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>Optional structural-schema validator; null until one is plugged in.</summary>
    public ICustomResourceSchemaValidator? SchemaValidator { get; set; }

    /// <summary>The CRD that registered this resource (<c>plural.group</c>).</summary>
    public string? DefinitionName { get; init; }

    public string StorageKey => $"{Type.Group}/{Type.Plural}";

    public string ListKind => $"{Type.Kind}List";

    public bool Namespaced => Type.Namespaced;
}
