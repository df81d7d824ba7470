namespace BuildKitController.Testing.FakeKubernetes.Api;

/// <summary>One field validation error (k8s.io/apimachinery field.Error).</summary>
/// <param name="Type">The cause reason, e.g. <c>FieldValueRequired</c>.</param>
/// <param name="Field">The field path, e.g. <c>metadata.name</c>.</param>
/// <param name="Body">The message without the field, e.g. <c>Required value: name or generateName is required</c>.</param>
internal sealed record FieldError(string Type, string Field, string Body)
{
    public static FieldError Required(string field, string detail) => new("FieldValueRequired", field, $"Required value: {detail}");

    public static FieldError Invalid(string field, string valueRepresentation, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {valueRepresentation}: {detail}");

    public static FieldError Forbidden(string field, string detail) => new("FieldValueForbidden", field, $"Forbidden: {detail}");

    public override string ToString() => $"{Field}: {Body}";
}
