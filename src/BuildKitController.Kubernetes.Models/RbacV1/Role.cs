using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.RbacV1;

/// <summary>rbac.authorization.k8s.io/v1 Role: namespaced permissions.</summary>
public sealed record Role() : KubernetesObject("rbac.authorization.k8s.io/v1", "Role"), IKubernetesResource<Role>
{
    public static ResourceType Resource { get; } = new("rbac.authorization.k8s.io", "v1", "roles", "Role");

    public static JsonTypeInfo<Role> JsonTypeInfo => KubernetesModelsJsonContext.Default.Role;

    public static JsonTypeInfo<KubernetesList<Role>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListRole;

    [JsonPropertyName("rules")]
    public List<PolicyRule>? Rules { get; set; }
}
