using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>
/// Desired state of a <see cref="BuildKitPool"/>. Every section is optional (upstream required several of them only by
/// accident); the defaulting in <c>Defaulting.BuildKitPoolDefaulter</c> fills what is missing.
/// </summary>
public sealed record BuildKitPoolSpec : ExtensibleModel
{
    /// <summary>Scaling behaviour.</summary>
    [JsonPropertyName("scaling")]
    public ScalingConfig? Scaling { get; set; }

    /// <summary>Resources of the worker containers.</summary>
    [JsonPropertyName("resources")]
    public ResourceConfig? Resources { get; set; }

    /// <summary>Raw <c>buildkitd.toml</c>; used verbatim when set, generated otherwise.</summary>
    [JsonPropertyName("buildkitConfig")]
    public string? BuildkitConfig { get; set; }

    /// <summary>Cache backends and garbage collection.</summary>
    [JsonPropertyName("cache")]
    public CacheConfig? Cache { get; set; }

    /// <summary>TLS certificate management.</summary>
    [JsonPropertyName("tls")]
    public TlsConfig? Tls { get; set; }

    /// <summary>Authentication methods and pool access rules.</summary>
    [JsonPropertyName("auth")]
    public AuthConfig? Auth { get; set; }

    /// <summary>Networking and exposure of the gateway Service.</summary>
    [JsonPropertyName("networking")]
    public NetworkingConfig? Networking { get; set; }

    /// <summary>Metrics and logging.</summary>
    [JsonPropertyName("observability")]
    public ObservabilityConfig? Observability { get; set; }

    /// <summary>The pool gateway.</summary>
    [JsonPropertyName("gateway")]
    public GatewayConfig? Gateway { get; set; }

    /// <summary>
    /// Extension (not in the Go controller): scheduling and security of the worker pods.
    /// </summary>
    [JsonPropertyName("worker")]
    public WorkerConfig? Worker { get; set; }

    /// <summary>BuildKit daemon image; defaults to <c>moby/buildkit:master-rootless</c>.</summary>
    [JsonPropertyName("buildkitImage")]
    public string? BuildkitImage { get; set; }

    /// <summary>Gateway image; defaults to the controller's configured gateway image.</summary>
    [JsonPropertyName("gatewayImage")]
    public string? GatewayImage { get; set; }
}
