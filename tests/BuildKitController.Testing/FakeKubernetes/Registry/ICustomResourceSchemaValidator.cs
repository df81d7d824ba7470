using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Api;

namespace BuildKitController.Testing.FakeKubernetes.Registry;

/// <summary>
/// Seam for structural-schema validation of custom resources (pruning, types, enums, CEL). The fake calls it
/// on every create and update of a custom resource that has a validator; errors become a 422 Invalid Status.
/// </summary>
internal interface ICustomResourceSchemaValidator
{
    /// <summary>Validates (and may prune/default) <paramref name="candidate"/>; <paramref name="old"/> is null on create.</summary>
    IReadOnlyList<FieldError> Validate(JsonObject candidate, JsonObject? old);
}
