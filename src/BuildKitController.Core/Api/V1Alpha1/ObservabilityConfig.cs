using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Metrics and logging (<c>spec.observability</c>); both parts optional.</summary>
public sealed record ObservabilityConfig : ExtensibleModel
{
    [JsonPropertyName("metrics")]
    public MetricsConfig? Metrics { get; set; }

    [JsonPropertyName("logging")]
    public LoggingConfig? Logging { get; set; }
}

/// <summary>Metrics settings.</summary>
public sealed record MetricsConfig : ExtensibleModel
{
    /// <summary>Default true.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>Default 9090.</summary>
    [JsonPropertyName("port")]
    public int? Port { get; set; }
}

/// <summary>Logging settings.</summary>
public sealed record LoggingConfig : ExtensibleModel
{
    /// <summary><c>debug</c>, <c>info</c>, <c>warn</c> or <c>error</c>; default <c>info</c>.</summary>
    [JsonPropertyName("level")]
    public string? Level { get; set; }

    /// <summary><c>json</c> or <c>text</c>; default <c>json</c>.</summary>
    [JsonPropertyName("format")]
    public string? Format { get; set; }
}
