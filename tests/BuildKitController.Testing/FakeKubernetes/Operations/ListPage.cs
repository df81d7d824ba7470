using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>One page of a list (stored states, written to the response as they are).</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
