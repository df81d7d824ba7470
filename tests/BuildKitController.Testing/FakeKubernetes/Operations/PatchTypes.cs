namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>Media types of the patch types.</summary>
internal static class PatchTypes
{
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string Apply = "application/apply-patch+yaml";

    public static PatchType? Parse(string? mediaType) => mediaType switch
    {
        JsonPatch => PatchType.JsonPatch,
        MergePatch => PatchType.MergePatch,
        StrategicMergePatch => PatchType.StrategicMergePatch,
        Apply => PatchType.Apply,
        _ => null,
    };

    /// <summary>What the resource accepts, in the order the real server lists them.</summary>
    public static IReadOnlyList<string> Accepted(bool isCustom) =>
        isCustom ? [JsonPatch, MergePatch, Apply] : [JsonPatch, MergePatch, StrategicMergePatch, Apply];
}
