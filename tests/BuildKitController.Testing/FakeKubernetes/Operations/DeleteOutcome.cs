using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>The object as the delete left it, and whether it is gone (false: waiting for finalizers).</summary>
internal sealed record DeleteOutcome(JsonObject Object, bool Deleted);
