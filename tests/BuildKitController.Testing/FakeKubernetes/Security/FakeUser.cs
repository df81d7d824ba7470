namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>An authenticated identity of the fake server (bearer token or client certificate).</summary>
public sealed record FakeUser(string Name, IReadOnlyList<string> Groups);
