namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>A patch could not be decoded or applied.</summary>
internal sealed class PatchException(string message) : Exception(message);
