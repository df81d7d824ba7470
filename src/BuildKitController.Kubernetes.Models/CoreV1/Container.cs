using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 Container.</summary>
public sealed record Container : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("image")]
    public string? Image { get; set; }

    [JsonPropertyName("imagePullPolicy")]
    public string? ImagePullPolicy { get; set; }

    [JsonPropertyName("command")]
    public List<string>? Command { get; set; }

    [JsonPropertyName("args")]
    public List<string>? Args { get; set; }

    [JsonPropertyName("workingDir")]
    public string? WorkingDir { get; set; }

    [JsonPropertyName("env")]
    public List<EnvVar>? Env { get; set; }

    [JsonPropertyName("ports")]
    public List<ContainerPort>? Ports { get; set; }

    [JsonPropertyName("resources")]
    public ResourceRequirements? Resources { get; set; }

    [JsonPropertyName("volumeMounts")]
    public List<VolumeMount>? VolumeMounts { get; set; }

    [JsonPropertyName("readinessProbe")]
    public Probe? ReadinessProbe { get; set; }

    [JsonPropertyName("livenessProbe")]
    public Probe? LivenessProbe { get; set; }

    [JsonPropertyName("startupProbe")]
    public Probe? StartupProbe { get; set; }

    [JsonPropertyName("securityContext")]
    public SecurityContext? SecurityContext { get; set; }

    [JsonPropertyName("lifecycle")]
    public JsonElement? Lifecycle { get; set; }
}

/// <summary>core/v1 EnvVar.</summary>
public sealed record EnvVar : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("valueFrom")]
    public JsonElement? ValueFrom { get; set; }
}

/// <summary>core/v1 ContainerPort.</summary>
public sealed record ContainerPort : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("containerPort")]
    public int ContainerPortNumber { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }
}

/// <summary>core/v1 ResourceRequirements; quantities are kept as strings (<c>500m</c>, <c>2Gi</c>).</summary>
public sealed record ResourceRequirements : ExtensibleModel
{
    [JsonPropertyName("limits")]
    public Dictionary<string, string>? Limits { get; set; }

    [JsonPropertyName("requests")]
    public Dictionary<string, string>? Requests { get; set; }
}

/// <summary>core/v1 VolumeMount.</summary>
public sealed record VolumeMount : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("mountPath")]
    public string MountPath { get; set; } = "";

    [JsonPropertyName("readOnly")]
    public bool? ReadOnly { get; set; }

    [JsonPropertyName("subPath")]
    public string? SubPath { get; set; }
}
