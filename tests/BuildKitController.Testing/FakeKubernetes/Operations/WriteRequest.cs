using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>A write's target and who makes it.</summary>
/// <param name="Resource">The resource addressed (its version is the request's apiVersion).</param>
/// <param name="Namespace">Namespace from the URL (empty for cluster-scoped).</param>
/// <param name="Name">Name from the URL (empty for create).</param>
/// <param name="Subresource">Null for the main resource, or <c>status</c>.</param>
/// <param name="FieldManager">The manager recorded in managedFields.</param>
internal sealed record WriteRequest(RegisteredResource Resource, string Namespace, string Name, string? Subresource, string FieldManager)
{
    public bool IsStatus => Subresource == "status";
}
