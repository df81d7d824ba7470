using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 Namespace (cluster-scoped).</summary>
public sealed record Namespace() : KubernetesObject("v1", "Namespace"), IKubernetesResource<Namespace>
{
    public static ResourceType Resource { get; } = new("", "v1", "namespaces", "Namespace", Namespaced: false);

    public static JsonTypeInfo<Namespace> JsonTypeInfo => KubernetesModelsJsonContext.Default.Namespace;

    public static JsonTypeInfo<KubernetesList<Namespace>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListNamespace;

    [JsonPropertyName("status")]
    public NamespaceStatus? Status { get; set; }
}

/// <summary>core/v1 NamespaceStatus.</summary>
public sealed record NamespaceStatus : ExtensibleModel
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }
}
