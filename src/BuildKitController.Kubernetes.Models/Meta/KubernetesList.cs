using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models;

/// <summary>A list response: <c>{"kind":"PodList","metadata":{...},"items":[...]}</c>.</summary>
public sealed record KubernetesList<T> : ExtensibleModel
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public List<T> Items { get; set; } = [];
}
