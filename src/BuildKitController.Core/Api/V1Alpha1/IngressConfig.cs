using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Exposure through an Ingress (<c>spec.gateway.ingress</c>).</summary>
public sealed record IngressConfig : ExtensibleModel
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    [JsonPropertyName("ingressClassName")]
    public string? IngressClassName { get; set; }

    /// <summary>Required when enabled.</summary>
    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("tls")]
    public IngressTlsConfig? Tls { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>TLS of the Ingress.</summary>
public sealed record IngressTlsConfig : ExtensibleModel
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>Required when enabled.</summary>
    [JsonPropertyName("secretName")]
    public string? SecretName { get; set; }
}
