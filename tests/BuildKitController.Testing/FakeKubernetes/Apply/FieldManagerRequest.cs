using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>Who writes, through which API version and subresource, and when.</summary>
internal sealed record FieldManagerRequest(string Manager, string ApiVersion, string? Subresource, string Time, IListSemanticsProvider Semantics);
