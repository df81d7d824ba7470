using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Desired state of a <see cref="BuildKitOIDCConfig"/>.</summary>
public sealed record BuildKitOIDCConfigSpec : ExtensibleModel
{
    /// <summary>Issuer URL (discovery base; must equal the token <c>iss</c>); required.</summary>
    [JsonPropertyName("issuer")]
    public string Issuer { get; set; } = "";

    /// <summary>Expected token audience; required.</summary>
    [JsonPropertyName("audience")]
    public string Audience { get; set; } = "";

    /// <summary><c>user</c> defaults to <c>sub</c>.</summary>
    [JsonPropertyName("claimsMapping")]
    public ClaimsMapping? ClaimsMapping { get; set; }

    /// <summary>OAuth2 client id (unused by the allocation API).</summary>
    [JsonPropertyName("clientID")]
    public string? ClientId { get; set; }

    [JsonPropertyName("clientSecretRef")]
    public SecretReference? ClientSecretRef { get; set; }

    /// <summary>Default true.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}

/// <summary>Reference to a key of a Secret.</summary>
public sealed record SecretReference : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>Defaults to the namespace of the referring object.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>Default <c>client-secret</c>.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; set; }
}
