using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>The pool gateway (<c>spec.gateway</c>).</summary>
public sealed record GatewayConfig : ExtensibleModel
{
    /// <summary>Default true; <c>false</c> is honoured.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>Gateway replicas (≥ 1); default 1.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("resources")]
    public GatewayResources? Resources { get; set; }

    /// <summary>Go duration: default allocation TTL; default <c>1h</c>.</summary>
    [JsonPropertyName("tokenTTL")]
    public string? TokenTtl { get; set; }

    /// <summary>Go duration: maximum allocation TTL; default <c>24h</c>.</summary>
    [JsonPropertyName("maxTokenTTL")]
    public string? MaxTokenTtl { get; set; }

    /// <summary>One of <see cref="ServiceTypes"/>; defaults to <c>spec.networking.serviceType</c>.</summary>
    [JsonPropertyName("serviceType")]
    public string? ServiceType { get; set; }

    /// <summary>Service port; defaults to <c>spec.networking.port</c> (1235). The target port is always 1235.</summary>
    [JsonPropertyName("port")]
    public int? Port { get; set; }

    /// <summary>Node port (30000–32767) for <c>NodePort</c> Services.</summary>
    [JsonPropertyName("nodePort")]
    public int? NodePort { get; set; }

    /// <summary>Load balancer class for <c>LoadBalancer</c> Services.</summary>
    [JsonPropertyName("loadBalancerClass")]
    public string? LoadBalancerClass { get; set; }

    [JsonPropertyName("gatewayAPI")]
    public GatewayApiConfig? GatewayApi { get; set; }

    [JsonPropertyName("ingress")]
    public IngressConfig? Ingress { get; set; }
}

/// <summary>Gateway container limits (requests are fixed at 50m / 64Mi).</summary>
public sealed record GatewayResources : ExtensibleModel
{
    /// <summary>CPU limit quantity; default <c>200m</c>.</summary>
    [JsonPropertyName("cpu")]
    public string? Cpu { get; set; }

    /// <summary>Memory limit quantity; default <c>256Mi</c>.</summary>
    [JsonPropertyName("memory")]
    public string? Memory { get; set; }
}
