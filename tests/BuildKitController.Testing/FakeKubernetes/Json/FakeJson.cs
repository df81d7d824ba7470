using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Testing.FakeKubernetes.Json;

/// <summary>Source-generated serialization metadata for the few non-node values the fake serializes.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class FakeJsonContext : JsonSerializerContext;

/// <summary>Shared serializer settings.</summary>
internal static class FakeJson
{
    public static JsonTypeInfo<string> StringInfo => FakeJsonContext.Default.String;

    /// <summary>Options used to write responses: compact, and no HTML escaping (like Go's encoder for most text).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = 256 };

    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.General) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
