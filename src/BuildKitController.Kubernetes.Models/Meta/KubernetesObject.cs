using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models;

/// <summary>Common shape of a top-level Kubernetes object.</summary>
public abstract record KubernetesObject : ExtensibleModel, IKubernetesObject
{
    protected KubernetesObject(string apiVersion, string kind)
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    [JsonPropertyName("apiVersion")]
    [JsonPropertyOrder(-3)]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    [JsonPropertyOrder(-2)]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; set; } = new();
}
