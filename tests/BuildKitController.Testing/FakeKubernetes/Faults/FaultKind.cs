namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>What a fault does to a matching request.</summary>
internal enum FaultKind
{
    Fail,
    CloseConnection,
    Delay,
    Hold,
}
