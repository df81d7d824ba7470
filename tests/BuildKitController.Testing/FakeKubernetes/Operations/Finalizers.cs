namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>Finalizers the server itself manages.</summary>
internal static class Finalizers
{
    public const string Orphan = "orphan";
    public const string ForegroundDeletion = "foregroundDeletion";
    public const string NamespaceKubernetes = "kubernetes";
}
