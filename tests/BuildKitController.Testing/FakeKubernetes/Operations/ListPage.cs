using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>One page of a list.</summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
