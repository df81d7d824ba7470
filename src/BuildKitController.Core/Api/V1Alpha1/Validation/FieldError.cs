namespace BuildKitController.Core.Api.V1Alpha1.Validation;

/// <summary>One validation failure: the JSON path of the field (<c>spec.scaling.min</c>, <c>spec.cache.backends[0].type</c>) and why.</summary>
public sealed record FieldError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
