using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.Serialization;

namespace BuildKitController.Kubernetes.Models.AppsV1;

/// <summary>apps/v1 Deployment.</summary>
public sealed record Deployment() : KubernetesObject("apps/v1", "Deployment"), IKubernetesResource<Deployment>
{
    public static ResourceType Resource { get; } = new("apps", "v1", "deployments", "Deployment");

    public static JsonTypeInfo<Deployment> JsonTypeInfo => KubernetesModelsJsonContext.Default.Deployment;

    public static JsonTypeInfo<KubernetesList<Deployment>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListDeployment;

    [JsonPropertyName("spec")]
    public DeploymentSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public DeploymentStatus? Status { get; set; }
}

/// <summary>apps/v1 DeploymentSpec.</summary>
public sealed record DeploymentSpec : ExtensibleModel
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("selector")]
    public LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("template")]
    public PodTemplateSpec Template { get; set; } = new();

    [JsonPropertyName("strategy")]
    public JsonElement? Strategy { get; set; }

    [JsonPropertyName("minReadySeconds")]
    public int? MinReadySeconds { get; set; }

    [JsonPropertyName("revisionHistoryLimit")]
    public int? RevisionHistoryLimit { get; set; }

    [JsonPropertyName("progressDeadlineSeconds")]
    public int? ProgressDeadlineSeconds { get; set; }
}

/// <summary>apps/v1 DeploymentStatus.</summary>
public sealed record DeploymentStatus : ExtensibleModel
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("updatedReplicas")]
    public int? UpdatedReplicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; set; }

    [JsonPropertyName("unavailableReplicas")]
    public int? UnavailableReplicas { get; set; }

    [JsonPropertyName("conditions")]
    public List<DeploymentCondition>? Conditions { get; set; }
}

/// <summary>apps/v1 DeploymentCondition.</summary>
public sealed record DeploymentCondition : ExtensibleModel
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("status")]
    public string Status { get; set; } = ConditionStatus.Unknown;

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("lastUpdateTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastUpdateTime { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }
}
