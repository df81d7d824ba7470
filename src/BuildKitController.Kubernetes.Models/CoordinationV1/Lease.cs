using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Kubernetes.Models.Serialization;

namespace BuildKitController.Kubernetes.Models.CoordinationV1;

/// <summary>coordination.k8s.io/v1 Lease, used for leader election.</summary>
public sealed record Lease() : KubernetesObject("coordination.k8s.io/v1", "Lease"), IKubernetesResource<Lease>
{
    public static ResourceType Resource { get; } = new("coordination.k8s.io", "v1", "leases", "Lease");

    public static JsonTypeInfo<Lease> JsonTypeInfo => KubernetesModelsJsonContext.Default.Lease;

    public static JsonTypeInfo<KubernetesList<Lease>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListLease;

    [JsonPropertyName("spec")]
    public LeaseSpec? Spec { get; set; }
}

/// <summary>coordination.k8s.io/v1 LeaseSpec.</summary>
public sealed record LeaseSpec : ExtensibleModel
{
    [JsonPropertyName("holderIdentity")]
    public string? HolderIdentity { get; set; }

    [JsonPropertyName("leaseDurationSeconds")]
    public int? LeaseDurationSeconds { get; set; }

    [JsonPropertyName("acquireTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonPropertyName("renewTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    [JsonPropertyName("leaseTransitions")]
    public int? LeaseTransitions { get; set; }
}
