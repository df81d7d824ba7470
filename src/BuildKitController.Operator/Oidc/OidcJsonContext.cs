using System.Text.Json.Serialization;

namespace BuildKitController.Operator.Oidc;

/// <summary>Source-generated (reflection-free) serialization of the OIDC discovery and JWKS documents.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OidcDiscoveryDocument))]
[JsonSerializable(typeof(JsonWebKeySet))]
[JsonSerializable(typeof(JsonWebKey))]
internal sealed partial class OidcJsonContext : JsonSerializerContext;
