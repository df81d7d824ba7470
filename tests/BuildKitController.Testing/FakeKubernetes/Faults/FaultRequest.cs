namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>What a fault predicate sees of a request (after routing, before it is served).</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path without query.</param>
/// <param name="Verb">Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection (lower-case method for non-resource paths).</param>
/// <param name="Group">API group (empty for core), null for non-resource paths.</param>
/// <param name="Version">API version.</param>
/// <param name="Resource">Plural resource name, e.g. <c>leases</c>.</param>
/// <param name="Subresource">E.g. <c>status</c>.</param>
/// <param name="Namespace">Namespace from the URL.</param>
/// <param name="Name">Object name from the URL.</param>
/// <param name="IsWatch">Whether this is a watch request.</param>
public sealed record FaultRequest(
    string Method,
    string Path,
    string Verb,
    string? Group,
    string? Version,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    bool IsWatch);
