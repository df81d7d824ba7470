using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 ConfigMap.</summary>
public sealed record ConfigMap() : KubernetesObject("v1", "ConfigMap"), IKubernetesResource<ConfigMap>
{
    public static ResourceType Resource { get; } = new("", "v1", "configmaps", "ConfigMap");

    public static JsonTypeInfo<ConfigMap> JsonTypeInfo => KubernetesModelsJsonContext.Default.ConfigMap;

    public static JsonTypeInfo<KubernetesList<ConfigMap>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListConfigMap;

    [JsonPropertyName("data")]
    public Dictionary<string, string>? Data { get; set; }

    [JsonPropertyName("binaryData")]
    public Dictionary<string, byte[]>? BinaryData { get; set; }

    [JsonPropertyName("immutable")]
    public bool? Immutable { get; set; }
}
