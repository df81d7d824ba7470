using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Exposure through the Kubernetes Gateway API (<c>spec.gateway.gatewayAPI</c>).</summary>
public sealed record GatewayApiConfig : ExtensibleModel
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>An existing Gateway to attach the TLSRoute to; no Gateway is created when set.</summary>
    [JsonPropertyName("gatewayRef")]
    public GatewayApiRef? GatewayRef { get; set; }

    /// <summary>Default <c>envoy</c>.</summary>
    [JsonPropertyName("gatewayClassName")]
    public string? GatewayClassName { get; set; }

    /// <summary>Default <c>&lt;pool&gt;-gateway</c>.</summary>
    [JsonPropertyName("gatewayName")]
    public string? GatewayName { get; set; }

    /// <summary>Listener and route host name; required when enabled.</summary>
    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("tls")]
    public GatewayApiTlsConfig? Tls { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>Reference to an existing Gateway.</summary>
public sealed record GatewayApiRef : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

/// <summary>TLS of the Gateway API listener.</summary>
public sealed record GatewayApiTlsConfig : ExtensibleModel
{
    /// <summary>One of <see cref="GatewayApiTlsModes"/>; default <c>passthrough</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("secretName")]
    public string? SecretName { get; set; }

    [JsonPropertyName("secretNamespace")]
    public string? SecretNamespace { get; set; }

    /// <summary>Default true.</summary>
    [JsonPropertyName("autoGenerate")]
    public bool? AutoGenerate { get; set; }
}

/// <summary>Values of <see cref="GatewayApiTlsConfig.Mode"/>.</summary>
public static class GatewayApiTlsModes
{
    public const string Terminate = "terminate";
    public const string Passthrough = "passthrough";

    public static IReadOnlyList<string> All { get; } = [Terminate, Passthrough];
}
