namespace BuildKitController.Kubernetes.Client;

/// <summary>The four patch formats of the API server.</summary>
public enum PatchType
{
    /// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>).</summary>
    JsonPatch,

    /// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>).</summary>
    MergePatch,

    /// <summary>Strategic merge patch, built-in kinds only (<c>application/strategic-merge-patch+json</c>).</summary>
    StrategicMergePatch,

    /// <summary>Server-side apply (<c>application/apply-patch+yaml</c>).</summary>
    Apply,
}

internal static class PatchTypeExtensions
{
    public static string ContentType(this PatchType type) => type switch
    {
        PatchType.JsonPatch => "application/json-patch+json",
        PatchType.MergePatch => "application/merge-patch+json",
        PatchType.StrategicMergePatch => "application/strategic-merge-patch+json",
        PatchType.Apply => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
