namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>The PATCH content types the API server understands.</summary>
internal enum PatchType
{
    JsonPatch,
    MergePatch,
    StrategicMergePatch,
    Apply,
}
