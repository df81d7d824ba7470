using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.RbacV1;

/// <summary>rbac.authorization.k8s.io/v1 RoleBinding: grants a Role (or ClusterRole) to subjects in one namespace.</summary>
public sealed record RoleBinding() : KubernetesObject("rbac.authorization.k8s.io/v1", "RoleBinding"), IKubernetesResource<RoleBinding>
{
    public static ResourceType Resource { get; } = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding");

    public static JsonTypeInfo<RoleBinding> JsonTypeInfo => KubernetesModelsJsonContext.Default.RoleBinding;

    public static JsonTypeInfo<KubernetesList<RoleBinding>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListRoleBinding;

    [JsonPropertyName("subjects")]
    public List<Subject>? Subjects { get; set; }

    [JsonPropertyName("roleRef")]
    public RoleRef RoleRef { get; set; } = new();
}

/// <summary>rbac.authorization.k8s.io/v1 Subject.</summary>
public sealed record Subject : ExtensibleModel
{
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("apiGroup")]
    public string? ApiGroup { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

/// <summary>rbac.authorization.k8s.io/v1 RoleRef (immutable once the binding exists).</summary>
public sealed record RoleRef : ExtensibleModel
{
    [JsonPropertyName("apiGroup")]
    public string ApiGroup { get; set; } = "rbac.authorization.k8s.io";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Role";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}
