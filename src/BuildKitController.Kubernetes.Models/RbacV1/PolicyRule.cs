using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models.RbacV1;

/// <summary>rbac.authorization.k8s.io/v1 PolicyRule.</summary>
public sealed record PolicyRule : ExtensibleModel
{
    [JsonPropertyName("apiGroups")]
    public List<string>? ApiGroups { get; set; }

    [JsonPropertyName("resources")]
    public List<string>? Resources { get; set; }

    [JsonPropertyName("resourceNames")]
    public List<string>? ResourceNames { get; set; }

    [JsonPropertyName("verbs")]
    public List<string> Verbs { get; set; } = [];
}
