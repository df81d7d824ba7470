using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models;

/// <summary>metav1.ListMeta.</summary>
public sealed record ListMeta : ExtensibleModel
{
    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    [JsonPropertyName("continue")]
    public string? Continue { get; set; }

    [JsonPropertyName("remainingItemCount")]
    public long? RemainingItemCount { get; set; }
}
