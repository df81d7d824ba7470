using System.Text.Json.Serialization;

namespace BuildKitController.Operator.Oidc;

/// <summary>A JSON Web Key (RFC 7517) with the RSA (RFC 7518 §6.3) and EC (§6.2) public parameters.</summary>
internal sealed record JsonWebKey
{
    /// <summary><c>RSA</c>, <c>EC</c>, <c>oct</c>, <c>OKP</c>, …</summary>
    [JsonPropertyName("kty")]
    public string? KeyType { get; init; }

    /// <summary><c>sig</c> or <c>enc</c>; absent means any.</summary>
    [JsonPropertyName("use")]
    public string? Use { get; init; }

    [JsonPropertyName("key_ops")]
    public IReadOnlyList<string>? KeyOperations { get; init; }

    [JsonPropertyName("alg")]
    public string? Algorithm { get; init; }

    [JsonPropertyName("kid")]
    public string? KeyId { get; init; }

    /// <summary>RSA modulus, base64url.</summary>
    [JsonPropertyName("n")]
    public string? Modulus { get; init; }

    /// <summary>RSA public exponent, base64url.</summary>
    [JsonPropertyName("e")]
    public string? Exponent { get; init; }

    /// <summary>EC curve: <c>P-256</c>, <c>P-384</c>, …</summary>
    [JsonPropertyName("crv")]
    public string? Curve { get; init; }

    /// <summary>EC x coordinate, base64url.</summary>
    [JsonPropertyName("x")]
    public string? X { get; init; }

    /// <summary>EC y coordinate, base64url.</summary>
    [JsonPropertyName("y")]
    public string? Y { get; init; }

    /// <summary>Certificate chain, base64 DER (not base64url).</summary>
    [JsonPropertyName("x5c")]
    public IReadOnlyList<string>? CertificateChain { get; init; }
}
