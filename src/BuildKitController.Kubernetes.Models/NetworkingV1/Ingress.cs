using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Kubernetes.Models.NetworkingV1;

/// <summary>networking.k8s.io/v1 Ingress.</summary>
public sealed record Ingress() : KubernetesObject("networking.k8s.io/v1", "Ingress"), IKubernetesResource<Ingress>
{
    public static ResourceType Resource { get; } = new("networking.k8s.io", "v1", "ingresses", "Ingress");

    public static JsonTypeInfo<Ingress> JsonTypeInfo => KubernetesModelsJsonContext.Default.Ingress;

    public static JsonTypeInfo<KubernetesList<Ingress>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListIngress;

    [JsonPropertyName("spec")]
    public IngressSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public IngressStatus? Status { get; set; }
}

/// <summary>networking.k8s.io/v1 IngressSpec.</summary>
public sealed record IngressSpec : ExtensibleModel
{
    [JsonPropertyName("ingressClassName")]
    public string? IngressClassName { get; set; }

    [JsonPropertyName("defaultBackend")]
    public IngressBackend? DefaultBackend { get; set; }

    [JsonPropertyName("tls")]
    public List<IngressTls>? Tls { get; set; }

    [JsonPropertyName("rules")]
    public List<IngressRule>? Rules { get; set; }
}

/// <summary>networking.k8s.io/v1 IngressTLS.</summary>
public sealed record IngressTls : ExtensibleModel
{
    [JsonPropertyName("hosts")]
    public List<string>? Hosts { get; set; }

    [JsonPropertyName("secretName")]
    public string? SecretName { get; set; }
}

/// <summary>networking.k8s.io/v1 IngressRule.</summary>
public sealed record IngressRule : ExtensibleModel
{
    [JsonPropertyName("host")]
    public string? Host { get; set; }

    [JsonPropertyName("http")]
    public HttpIngressRuleValue? Http { get; set; }
}

/// <summary>networking.k8s.io/v1 HTTPIngressRuleValue.</summary>
public sealed record HttpIngressRuleValue : ExtensibleModel
{
    [JsonPropertyName("paths")]
    public List<HttpIngressPath> Paths { get; set; } = [];
}

/// <summary>networking.k8s.io/v1 HTTPIngressPath.</summary>
public sealed record HttpIngressPath : ExtensibleModel
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("pathType")]
    public string PathType { get; set; } = "Prefix";

    [JsonPropertyName("backend")]
    public IngressBackend Backend { get; set; } = new();
}

/// <summary>networking.k8s.io/v1 IngressBackend.</summary>
public sealed record IngressBackend : ExtensibleModel
{
    [JsonPropertyName("service")]
    public IngressServiceBackend? Service { get; set; }
}

/// <summary>networking.k8s.io/v1 IngressServiceBackend.</summary>
public sealed record IngressServiceBackend : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("port")]
    public ServiceBackendPort? Port { get; set; }
}

/// <summary>networking.k8s.io/v1 ServiceBackendPort.</summary>
public sealed record ServiceBackendPort : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("number")]
    public int? Number { get; set; }
}

/// <summary>networking.k8s.io/v1 IngressStatus.</summary>
public sealed record IngressStatus : ExtensibleModel
{
    [JsonPropertyName("loadBalancer")]
    public LoadBalancerStatus? LoadBalancer { get; set; }
}
