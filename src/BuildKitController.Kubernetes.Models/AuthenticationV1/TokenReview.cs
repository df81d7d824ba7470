using System.Text;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.AuthenticationV1;

/// <summary>authentication.k8s.io/v1 TokenReview (create-only, cluster-scoped).</summary>
public sealed record TokenReview() : KubernetesObject("authentication.k8s.io/v1", "TokenReview"), IKubernetesResource<TokenReview>
{
    public static ResourceType Resource { get; } = new("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", Namespaced: false);

    public static JsonTypeInfo<TokenReview> JsonTypeInfo => KubernetesModelsJsonContext.Default.TokenReview;

    public static JsonTypeInfo<KubernetesList<TokenReview>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListTokenReview;

    [JsonPropertyName("spec")]
    public TokenReviewSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public TokenReviewStatus? Status { get; set; }
}

/// <summary>authentication.k8s.io/v1 TokenReviewSpec. <see cref="ToString"/> never prints the token.</summary>
public sealed record TokenReviewSpec : ExtensibleModel
{
    [JsonPropertyName("token")]
    public string? Token { get; set; }

    [JsonPropertyName("audiences")]
    public List<string>? Audiences { get; set; }

    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Token = <redacted>, Audiences = [").AppendJoin(", ", Audiences ?? []).Append(']');
        return true;
    }
}

/// <summary>authentication.k8s.io/v1 TokenReviewStatus.</summary>
public sealed record TokenReviewStatus : ExtensibleModel
{
    [JsonPropertyName("authenticated")]
    public bool? Authenticated { get; set; }

    [JsonPropertyName("user")]
    public UserInfo? User { get; set; }

    [JsonPropertyName("audiences")]
    public List<string>? Audiences { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }
}

/// <summary>authentication.k8s.io/v1 UserInfo.</summary>
public sealed record UserInfo : ExtensibleModel
{
    [JsonPropertyName("username")]
    public string? Username { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("groups")]
    public List<string>? Groups { get; set; }

    [JsonPropertyName("extra")]
    public Dictionary<string, List<string>>? Extra { get; set; }
}
