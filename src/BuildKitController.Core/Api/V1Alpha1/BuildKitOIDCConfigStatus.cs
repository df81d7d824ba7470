using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Observed state of a <see cref="BuildKitOIDCConfig"/>.</summary>
public sealed record BuildKitOIDCConfigStatus : ExtensibleModel
{
    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("conditions")]
    public List<Condition>? Conditions { get; set; }
}
