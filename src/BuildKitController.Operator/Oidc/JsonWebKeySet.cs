using System.Text.Json.Serialization;

namespace BuildKitController.Operator.Oidc;

/// <summary>A JWK Set (RFC 7517 §5), as served at an issuer's <c>jwks_uri</c>.</summary>
internal sealed record JsonWebKeySet
{
    [JsonPropertyName("keys")]
    public IReadOnlyList<JsonWebKey>? Keys { get; init; }
}
