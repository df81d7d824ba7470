using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Kubernetes.Models.Serialization;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 Pod.</summary>
public sealed record Pod() : KubernetesObject("v1", "Pod"), IKubernetesResource<Pod>
{
    public static ResourceType Resource { get; } = new("", "v1", "pods", "Pod");

    public static JsonTypeInfo<Pod> JsonTypeInfo => KubernetesModelsJsonContext.Default.Pod;

    public static JsonTypeInfo<KubernetesList<Pod>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListPod;

    [JsonPropertyName("spec")]
    public PodSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public PodStatus? Status { get; set; }
}

/// <summary>core/v1 PodStatus.</summary>
public sealed record PodStatus : ExtensibleModel
{
    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Unknown</c>.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("conditions")]
    public List<PodCondition>? Conditions { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("hostIP")]
    public string? HostIP { get; set; }

    [JsonPropertyName("podIP")]
    public string? PodIP { get; set; }

    [JsonPropertyName("podIPs")]
    public List<PodIP>? PodIPs { get; set; }

    [JsonPropertyName("startTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? StartTime { get; set; }

    [JsonPropertyName("containerStatuses")]
    public List<ContainerStatus>? ContainerStatuses { get; set; }
}

/// <summary>core/v1 PodIP.</summary>
public sealed record PodIP : ExtensibleModel
{
    [JsonPropertyName("ip")]
    public string Ip { get; set; } = "";
}

/// <summary>core/v1 PodCondition.</summary>
public sealed record PodCondition : ExtensibleModel
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("status")]
    public string Status { get; set; } = ConditionStatus.Unknown;

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }
}

/// <summary>core/v1 ContainerStatus (the parts the product reads).</summary>
public sealed record ContainerStatus : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("ready")]
    public bool Ready { get; set; }

    [JsonPropertyName("started")]
    public bool? Started { get; set; }

    [JsonPropertyName("restartCount")]
    public int RestartCount { get; set; }

    [JsonPropertyName("image")]
    public string? Image { get; set; }

    [JsonPropertyName("state")]
    public ContainerState? State { get; set; }
}

/// <summary>core/v1 ContainerState; only the waiting reason is typed, the rest is kept as extension data.</summary>
public sealed record ContainerState : ExtensibleModel
{
    [JsonPropertyName("waiting")]
    public ContainerStateWaiting? Waiting { get; set; }
}

/// <summary>core/v1 ContainerStateWaiting.</summary>
public sealed record ContainerStateWaiting : ExtensibleModel
{
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
