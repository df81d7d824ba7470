using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Gc;

/// <summary>An object that names an owner in its ownerReferences.</summary>
internal sealed record DependentReference(RegisteredResource Resource, string Namespace, string Name, string Uid);
