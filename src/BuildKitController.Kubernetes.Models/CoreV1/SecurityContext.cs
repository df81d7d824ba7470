using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 SecurityContext (container level).</summary>
public sealed record SecurityContext : ExtensibleModel
{
    [JsonPropertyName("runAsUser")]
    public long? RunAsUser { get; set; }

    [JsonPropertyName("runAsGroup")]
    public long? RunAsGroup { get; set; }

    [JsonPropertyName("runAsNonRoot")]
    public bool? RunAsNonRoot { get; set; }

    [JsonPropertyName("privileged")]
    public bool? Privileged { get; set; }

    [JsonPropertyName("allowPrivilegeEscalation")]
    public bool? AllowPrivilegeEscalation { get; set; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool? ReadOnlyRootFilesystem { get; set; }

    [JsonPropertyName("capabilities")]
    public Capabilities? Capabilities { get; set; }

    [JsonPropertyName("seccompProfile")]
    public SeccompProfile? SeccompProfile { get; set; }

    [JsonPropertyName("appArmorProfile")]
    public AppArmorProfile? AppArmorProfile { get; set; }

    [JsonPropertyName("procMount")]
    public string? ProcMount { get; set; }
}

/// <summary>core/v1 PodSecurityContext (pod level).</summary>
public sealed record PodSecurityContext : ExtensibleModel
{
    [JsonPropertyName("runAsUser")]
    public long? RunAsUser { get; set; }

    [JsonPropertyName("runAsGroup")]
    public long? RunAsGroup { get; set; }

    [JsonPropertyName("runAsNonRoot")]
    public bool? RunAsNonRoot { get; set; }

    [JsonPropertyName("fsGroup")]
    public long? FsGroup { get; set; }

    [JsonPropertyName("fsGroupChangePolicy")]
    public string? FsGroupChangePolicy { get; set; }

    [JsonPropertyName("seccompProfile")]
    public SeccompProfile? SeccompProfile { get; set; }

    [JsonPropertyName("appArmorProfile")]
    public AppArmorProfile? AppArmorProfile { get; set; }
}

/// <summary>core/v1 Capabilities.</summary>
public sealed record Capabilities : ExtensibleModel
{
    [JsonPropertyName("add")]
    public List<string>? Add { get; set; }

    [JsonPropertyName("drop")]
    public List<string>? Drop { get; set; }
}

/// <summary>core/v1 SeccompProfile: <c>RuntimeDefault</c>, <c>Unconfined</c> or <c>Localhost</c>.</summary>
public sealed record SeccompProfile : ExtensibleModel
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("localhostProfile")]
    public string? LocalhostProfile { get; set; }
}

/// <summary>core/v1 AppArmorProfile: <c>RuntimeDefault</c>, <c>Unconfined</c> or <c>Localhost</c>.</summary>
public sealed record AppArmorProfile : ExtensibleModel
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("localhostProfile")]
    public string? LocalhostProfile { get; set; }
}
