using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 PodSpec. Scheduling structures the product only passes through (affinity,
/// topology spread) are kept as raw JSON so they round-trip exactly.</summary>
public sealed record PodSpec : ExtensibleModel
{
    [JsonPropertyName("containers")]
    public List<Container> Containers { get; set; } = [];

    [JsonPropertyName("initContainers")]
    public List<Container>? InitContainers { get; set; }

    [JsonPropertyName("volumes")]
    public List<Volume>? Volumes { get; set; }

    [JsonPropertyName("restartPolicy")]
    public string? RestartPolicy { get; set; }

    [JsonPropertyName("terminationGracePeriodSeconds")]
    public long? TerminationGracePeriodSeconds { get; set; }

    [JsonPropertyName("serviceAccountName")]
    public string? ServiceAccountName { get; set; }

    [JsonPropertyName("automountServiceAccountToken")]
    public bool? AutomountServiceAccountToken { get; set; }

    [JsonPropertyName("enableServiceLinks")]
    public bool? EnableServiceLinks { get; set; }

    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    [JsonPropertyName("nodeSelector")]
    public Dictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("tolerations")]
    public List<Toleration>? Tolerations { get; set; }

    [JsonPropertyName("affinity")]
    public JsonElement? Affinity { get; set; }

    [JsonPropertyName("topologySpreadConstraints")]
    public List<JsonElement>? TopologySpreadConstraints { get; set; }

    [JsonPropertyName("priorityClassName")]
    public string? PriorityClassName { get; set; }

    [JsonPropertyName("runtimeClassName")]
    public string? RuntimeClassName { get; set; }

    [JsonPropertyName("imagePullSecrets")]
    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    [JsonPropertyName("hostUsers")]
    public bool? HostUsers { get; set; }

    [JsonPropertyName("securityContext")]
    public PodSecurityContext? SecurityContext { get; set; }
}

/// <summary>core/v1 PodTemplateSpec.</summary>
public sealed record PodTemplateSpec : ExtensibleModel
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec")]
    public PodSpec? Spec { get; set; }
}

/// <summary>core/v1 Toleration.</summary>
public sealed record Toleration : ExtensibleModel
{
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    [JsonPropertyName("operator")]
    public string? Operator { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("effect")]
    public string? Effect { get; set; }

    [JsonPropertyName("tolerationSeconds")]
    public long? TolerationSeconds { get; set; }
}

/// <summary>core/v1 LocalObjectReference.</summary>
public sealed record LocalObjectReference : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}
