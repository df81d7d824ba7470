namespace BuildKitController.Operator.Manifests;

/// <summary>The outcome of checking one document of a manifest file.</summary>
/// <param name="Source">File and document index, e.g. <c>examples/pool.yaml#1</c>.</param>
/// <param name="Kind">The document's kind, or what was found instead.</param>
/// <param name="Name">metadata.name, if any.</param>
/// <param name="Errors">Why the API server or the controller would refuse it.</param>
/// <param name="Warnings">What would be silently dropped (unknown fields) or ignored.</param>
/// <param name="Summary">Effective settings after defaulting, one line each.</param>
internal sealed record ManifestFinding(
    string Source,
    string Kind,
    string? Name,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Summary)
{
    public bool IsValid => Errors.Count == 0;
}
