using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.PolicyV1;

/// <summary>policy/v1 PodDisruptionBudget.</summary>
public sealed record PodDisruptionBudget() : KubernetesObject("policy/v1", "PodDisruptionBudget"), IKubernetesResource<PodDisruptionBudget>
{
    public static ResourceType Resource { get; } = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget");

    public static JsonTypeInfo<PodDisruptionBudget> JsonTypeInfo => KubernetesModelsJsonContext.Default.PodDisruptionBudget;

    public static JsonTypeInfo<KubernetesList<PodDisruptionBudget>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListPodDisruptionBudget;

    [JsonPropertyName("spec")]
    public PodDisruptionBudgetSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public PodDisruptionBudgetStatus? Status { get; set; }
}

/// <summary>policy/v1 PodDisruptionBudgetSpec.</summary>
public sealed record PodDisruptionBudgetSpec : ExtensibleModel
{
    [JsonPropertyName("minAvailable")]
    public IntOrString? MinAvailable { get; set; }

    [JsonPropertyName("maxUnavailable")]
    public IntOrString? MaxUnavailable { get; set; }

    [JsonPropertyName("selector")]
    public LabelSelector? Selector { get; set; }

    [JsonPropertyName("unhealthyPodEvictionPolicy")]
    public string? UnhealthyPodEvictionPolicy { get; set; }
}

/// <summary>policy/v1 PodDisruptionBudgetStatus.</summary>
public sealed record PodDisruptionBudgetStatus : ExtensibleModel
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("disruptionsAllowed")]
    public int DisruptionsAllowed { get; set; }

    [JsonPropertyName("currentHealthy")]
    public int CurrentHealthy { get; set; }

    [JsonPropertyName("desiredHealthy")]
    public int DesiredHealthy { get; set; }

    [JsonPropertyName("expectedPods")]
    public int ExpectedPods { get; set; }
}
