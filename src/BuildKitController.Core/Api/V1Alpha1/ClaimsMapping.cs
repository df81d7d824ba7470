using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Maps OIDC token claims to an identity and a pool list.</summary>
public sealed record ClaimsMapping : ExtensibleModel
{
    /// <summary>Claim holding the user identity; default <c>sub</c>.</summary>
    [JsonPropertyName("user")]
    public string? User { get; set; }

    /// <summary>Claim holding the pools the identity may use.</summary>
    [JsonPropertyName("pools")]
    public string? Pools { get; set; }
}
