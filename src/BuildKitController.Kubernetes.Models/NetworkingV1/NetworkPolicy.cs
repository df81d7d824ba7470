using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.NetworkingV1;

/// <summary>networking.k8s.io/v1 NetworkPolicy.</summary>
public sealed record NetworkPolicy() : KubernetesObject("networking.k8s.io/v1", "NetworkPolicy"), IKubernetesResource<NetworkPolicy>
{
    public static ResourceType Resource { get; } = new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy");

    public static JsonTypeInfo<NetworkPolicy> JsonTypeInfo => KubernetesModelsJsonContext.Default.NetworkPolicy;

    public static JsonTypeInfo<KubernetesList<NetworkPolicy>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListNetworkPolicy;

    [JsonPropertyName("spec")]
    public NetworkPolicySpec? Spec { get; set; }
}

/// <summary>networking.k8s.io/v1 NetworkPolicySpec.</summary>
public sealed record NetworkPolicySpec : ExtensibleModel
{
    [JsonPropertyName("podSelector")]
    public LabelSelector PodSelector { get; set; } = new();

    [JsonPropertyName("policyTypes")]
    public List<string>? PolicyTypes { get; set; }

    [JsonPropertyName("ingress")]
    public List<NetworkPolicyIngressRule>? Ingress { get; set; }

    [JsonPropertyName("egress")]
    public List<NetworkPolicyEgressRule>? Egress { get; set; }
}

/// <summary>networking.k8s.io/v1 NetworkPolicyIngressRule.</summary>
public sealed record NetworkPolicyIngressRule : ExtensibleModel
{
    [JsonPropertyName("from")]
    public List<NetworkPolicyPeer>? From { get; set; }

    [JsonPropertyName("ports")]
    public List<NetworkPolicyPort>? Ports { get; set; }
}

/// <summary>networking.k8s.io/v1 NetworkPolicyEgressRule.</summary>
public sealed record NetworkPolicyEgressRule : ExtensibleModel
{
    [JsonPropertyName("to")]
    public List<NetworkPolicyPeer>? To { get; set; }

    [JsonPropertyName("ports")]
    public List<NetworkPolicyPort>? Ports { get; set; }
}

/// <summary>networking.k8s.io/v1 NetworkPolicyPeer.</summary>
public sealed record NetworkPolicyPeer : ExtensibleModel
{
    [JsonPropertyName("podSelector")]
    public LabelSelector? PodSelector { get; set; }

    [JsonPropertyName("namespaceSelector")]
    public LabelSelector? NamespaceSelector { get; set; }

    [JsonPropertyName("ipBlock")]
    public IpBlock? IpBlock { get; set; }
}

/// <summary>networking.k8s.io/v1 IPBlock.</summary>
public sealed record IpBlock : ExtensibleModel
{
    [JsonPropertyName("cidr")]
    public string Cidr { get; set; } = "";

    [JsonPropertyName("except")]
    public List<string>? Except { get; set; }
}

/// <summary>networking.k8s.io/v1 NetworkPolicyPort.</summary>
public sealed record NetworkPolicyPort : ExtensibleModel
{
    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    [JsonPropertyName("port")]
    public IntOrString? Port { get; set; }

    [JsonPropertyName("endPort")]
    public int? EndPort { get; set; }
}
