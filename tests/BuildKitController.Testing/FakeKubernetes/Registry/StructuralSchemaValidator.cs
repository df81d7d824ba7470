using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.OpenApi;

namespace BuildKitController.Testing.FakeKubernetes.Registry;

/// <summary>
/// What the real API server does with a custom resource on every write: prune fields the schema does not
/// declare, fill schema defaults, and reject values that do not match (types, enums, required, bounds, patterns).
/// CEL rules are not evaluated (the product's own validator covers them).
/// </summary>
internal sealed class StructuralSchemaValidator(StructuralSchema schema) : ICustomResourceSchemaValidator
{
    public static ICustomResourceSchemaValidator Create(JsonObject openApiV3Schema) =>
        new StructuralSchemaValidator(StructuralSchema.Parse(openApiV3Schema));

    public IReadOnlyList<FieldError> Validate(JsonObject candidate, JsonObject? old)
    {
        var errors = schema.Admit(candidate);
        return [.. errors.Select(ToFieldError)];
    }

    private static FieldError ToFieldError(string error)
    {
        var separator = error.IndexOf(": ", StringComparison.Ordinal);
        return separator < 0
            ? new FieldError("FieldValueInvalid", "<root>", error)
            : new FieldError("FieldValueInvalid", error[..separator].TrimStart('.'), error[(separator + 2)..]);
    }
}
