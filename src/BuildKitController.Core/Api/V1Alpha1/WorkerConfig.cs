using System.Text.Json;
using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>
/// Extension (not in the Go controller, <c>spec.worker</c>): scheduling and security of the worker pods. Affinity
/// and topology spread constraints are passed through unchanged.
/// </summary>
public sealed record WorkerConfig : ExtensibleModel
{
    [JsonPropertyName("nodeSelector")]
    public Dictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("tolerations")]
    public List<Toleration>? Tolerations { get; set; }

    /// <summary>A core/v1 Affinity, kept as raw JSON.</summary>
    [JsonPropertyName("affinity")]
    public JsonElement? Affinity { get; set; }

    /// <summary>core/v1 TopologySpreadConstraints, kept as raw JSON.</summary>
    [JsonPropertyName("topologySpreadConstraints")]
    public List<JsonElement>? TopologySpreadConstraints { get; set; }

    [JsonPropertyName("priorityClassName")]
    public string? PriorityClassName { get; set; }

    [JsonPropertyName("runtimeClassName")]
    public string? RuntimeClassName { get; set; }

    [JsonPropertyName("imagePullSecrets")]
    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    /// <summary>Extra labels of worker pods; the controller's own labels win on conflict.</summary>
    [JsonPropertyName("podLabels")]
    public Dictionary<string, string>? PodLabels { get; set; }

    /// <summary>Extra annotations of worker pods.</summary>
    [JsonPropertyName("podAnnotations")]
    public Dictionary<string, string>? PodAnnotations { get; set; }

    /// <summary>One of <see cref="SecurityProfiles"/>; default <c>rootless</c>.</summary>
    [JsonPropertyName("securityProfile")]
    public string? SecurityProfile { get; set; }
}

/// <summary>Values of <see cref="WorkerConfig.SecurityProfile"/>.</summary>
public static class SecurityProfiles
{
    /// <summary>Rootless BuildKit (uid 1000) with the seccomp and AppArmor settings it needs.</summary>
    public const string Rootless = "rootless";

    /// <summary>Rootful BuildKit inside a user namespace (<c>hostUsers: false</c>).</summary>
    public const string UserNamespace = "userns";

    /// <summary>Rootful, privileged BuildKit.</summary>
    public const string Privileged = "privileged";

    public static IReadOnlyList<string> All { get; } = [Rootless, UserNamespace, Privileged];
}
