using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 ServiceAccount.</summary>
public sealed record ServiceAccount() : KubernetesObject("v1", "ServiceAccount"), IKubernetesResource<ServiceAccount>
{
    public static ResourceType Resource { get; } = new("", "v1", "serviceaccounts", "ServiceAccount");

    public static JsonTypeInfo<ServiceAccount> JsonTypeInfo => KubernetesModelsJsonContext.Default.ServiceAccount;

    public static JsonTypeInfo<KubernetesList<ServiceAccount>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListServiceAccount;

    [JsonPropertyName("imagePullSecrets")]
    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    [JsonPropertyName("automountServiceAccountToken")]
    public bool? AutomountServiceAccountToken { get; set; }
}
