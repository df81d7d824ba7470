using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.AuthorizationV1;

/// <summary>authorization.k8s.io/v1 SubjectAccessReview (create-only, cluster-scoped).</summary>
public sealed record SubjectAccessReview() : KubernetesObject("authorization.k8s.io/v1", "SubjectAccessReview"), IKubernetesResource<SubjectAccessReview>
{
    public static ResourceType Resource { get; } = new("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", Namespaced: false);

    public static JsonTypeInfo<SubjectAccessReview> JsonTypeInfo => KubernetesModelsJsonContext.Default.SubjectAccessReview;

    public static JsonTypeInfo<KubernetesList<SubjectAccessReview>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListSubjectAccessReview;

    [JsonPropertyName("spec")]
    public SubjectAccessReviewSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public SubjectAccessReviewStatus? Status { get; set; }
}

/// <summary>authorization.k8s.io/v1 SubjectAccessReviewSpec.</summary>
public sealed record SubjectAccessReviewSpec : ExtensibleModel
{
    [JsonPropertyName("resourceAttributes")]
    public ResourceAttributes? ResourceAttributes { get; set; }

    [JsonPropertyName("nonResourceAttributes")]
    public NonResourceAttributes? NonResourceAttributes { get; set; }

    [JsonPropertyName("user")]
    public string? User { get; set; }

    [JsonPropertyName("groups")]
    public List<string>? Groups { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("extra")]
    public Dictionary<string, List<string>>? Extra { get; set; }
}

/// <summary>authorization.k8s.io/v1 ResourceAttributes.</summary>
public sealed record ResourceAttributes : ExtensibleModel
{
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("verb")]
    public string? Verb { get; set; }

    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("version")]
    public string? Version { get; set; }

    [JsonPropertyName("resource")]
    public string? Resource { get; set; }

    [JsonPropertyName("subresource")]
    public string? Subresource { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>authorization.k8s.io/v1 NonResourceAttributes.</summary>
public sealed record NonResourceAttributes : ExtensibleModel
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("verb")]
    public string? Verb { get; set; }
}

/// <summary>authorization.k8s.io/v1 SubjectAccessReviewStatus.</summary>
public sealed record SubjectAccessReviewStatus : ExtensibleModel
{
    [JsonPropertyName("allowed")]
    public bool Allowed { get; set; }

    [JsonPropertyName("denied")]
    public bool? Denied { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("evaluationError")]
    public string? EvaluationError { get; set; }
}
