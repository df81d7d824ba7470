namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>The parts of metav1.DeleteOptions the fake honours.</summary>
internal sealed record DeleteRequestOptions(string? PropagationPolicy, bool? OrphanDependents, string? PreconditionUid, string? PreconditionResourceVersion)
{
    public static DeleteRequestOptions Default { get; } = new(null, null, null, null);
}
