using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 Service.</summary>
public sealed record Service() : KubernetesObject("v1", "Service"), IKubernetesResource<Service>
{
    public static ResourceType Resource { get; } = new("", "v1", "services", "Service");

    public static JsonTypeInfo<Service> JsonTypeInfo => KubernetesModelsJsonContext.Default.Service;

    public static JsonTypeInfo<KubernetesList<Service>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListService;

    [JsonPropertyName("spec")]
    public ServiceSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public ServiceStatus? Status { get; set; }
}

/// <summary>core/v1 ServiceSpec.</summary>
public sealed record ServiceSpec : ExtensibleModel
{
    /// <summary><c>ClusterIP</c>, <c>NodePort</c>, <c>LoadBalancer</c> or <c>ExternalName</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("selector")]
    public Dictionary<string, string>? Selector { get; set; }

    [JsonPropertyName("ports")]
    public List<ServicePort>? Ports { get; set; }

    [JsonPropertyName("clusterIP")]
    public string? ClusterIP { get; set; }

    [JsonPropertyName("loadBalancerClass")]
    public string? LoadBalancerClass { get; set; }

    [JsonPropertyName("loadBalancerSourceRanges")]
    public List<string>? LoadBalancerSourceRanges { get; set; }

    [JsonPropertyName("externalTrafficPolicy")]
    public string? ExternalTrafficPolicy { get; set; }

    [JsonPropertyName("sessionAffinity")]
    public string? SessionAffinity { get; set; }

    [JsonPropertyName("publishNotReadyAddresses")]
    public bool? PublishNotReadyAddresses { get; set; }
}

/// <summary>core/v1 ServicePort.</summary>
public sealed record ServicePort : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    [JsonPropertyName("appProtocol")]
    public string? AppProtocol { get; set; }

    [JsonPropertyName("port")]
    public int Port { get; set; }

    [JsonPropertyName("targetPort")]
    public IntOrString? TargetPort { get; set; }

    [JsonPropertyName("nodePort")]
    public int? NodePort { get; set; }
}

/// <summary>core/v1 ServiceStatus.</summary>
public sealed record ServiceStatus : ExtensibleModel
{
    [JsonPropertyName("loadBalancer")]
    public LoadBalancerStatus? LoadBalancer { get; set; }
}

/// <summary>core/v1 LoadBalancerStatus (also used by Ingress status).</summary>
public sealed record LoadBalancerStatus : ExtensibleModel
{
    [JsonPropertyName("ingress")]
    public List<LoadBalancerIngress>? Ingress { get; set; }
}

/// <summary>core/v1 LoadBalancerIngress.</summary>
public sealed record LoadBalancerIngress : ExtensibleModel
{
    [JsonPropertyName("ip")]
    public string? Ip { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }
}
