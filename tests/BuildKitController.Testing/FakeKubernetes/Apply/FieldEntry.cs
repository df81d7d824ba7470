using System.Text.Json.Nodes;

namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>A member path of an object's field set with its value; leaves (scalars, atomic lists, empty maps) compare by value.</summary>
internal sealed record FieldEntry(JsonNode? Value, bool IsLeaf);
