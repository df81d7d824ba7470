using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Networking and exposure (<c>spec.networking</c>).</summary>
public sealed record NetworkingConfig : ExtensibleModel
{
    /// <summary>One of <see cref="ServiceTypes"/>; default <c>ClusterIP</c>. Used when <c>gateway.serviceType</c> is unset.</summary>
    [JsonPropertyName("serviceType")]
    public string? ServiceType { get; set; }

    [JsonPropertyName("external")]
    public ExternalConfig? External { get; set; }

    /// <summary>Gateway Service port when <c>gateway.port</c> is unset; default 1235.</summary>
    [JsonPropertyName("port")]
    public int? Port { get; set; }

    /// <summary>CIDR blocks allowed to reach the gateway.</summary>
    [JsonPropertyName("allowedCIDRs")]
    public List<string>? AllowedCidrs { get; set; }

    /// <summary>Annotations of the gateway Service.</summary>
    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>External access (<c>spec.networking.external</c>).</summary>
public sealed record ExternalConfig : ExtensibleModel
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>External host name (or IP address); becomes the pool endpoint and a server certificate SAN.</summary>
    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}
