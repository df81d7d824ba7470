using System.Text.Json.Serialization;

namespace BuildKitController.Operator.Oidc;

/// <summary>The members of an OpenID Provider configuration document (<c>/.well-known/openid-configuration</c>) this product reads.</summary>
internal sealed record OidcDiscoveryDocument
{
    /// <summary>Must equal the configured issuer exactly (OpenID Connect Discovery §4.3).</summary>
    [JsonPropertyName("issuer")]
    public string? Issuer { get; init; }

    [JsonPropertyName("jwks_uri")]
    public string? JwksUri { get; init; }

    [JsonPropertyName("authorization_endpoint")]
    public string? AuthorizationEndpoint { get; init; }

    [JsonPropertyName("token_endpoint")]
    public string? TokenEndpoint { get; init; }

    [JsonPropertyName("response_types_supported")]
    public IReadOnlyList<string>? ResponseTypesSupported { get; init; }

    [JsonPropertyName("subject_types_supported")]
    public IReadOnlyList<string>? SubjectTypesSupported { get; init; }

    [JsonPropertyName("id_token_signing_alg_values_supported")]
    public IReadOnlyList<string>? IdTokenSigningAlgValuesSupported { get; init; }

    [JsonPropertyName("scopes_supported")]
    public IReadOnlyList<string>? ScopesSupported { get; init; }

    [JsonPropertyName("claims_supported")]
    public IReadOnlyList<string>? ClaimsSupported { get; init; }
}
