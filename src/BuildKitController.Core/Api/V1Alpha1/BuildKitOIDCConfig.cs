using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>
/// A trusted OIDC issuer for the allocation API (<c>buildkitoidcconfigs.buildkit.smrt-devops.net</c>, namespaced,
/// with a status subresource).
/// </summary>
public sealed record BuildKitOIDCConfig() : KubernetesObject(BuildKitApi.ApiVersion, "BuildKitOIDCConfig"), IKubernetesResource<BuildKitOIDCConfig>
{
    public static ResourceType Resource { get; } = new(BuildKitApi.Group, BuildKitApi.Version, "buildkitoidcconfigs", "BuildKitOIDCConfig");

    public static JsonTypeInfo<BuildKitOIDCConfig> JsonTypeInfo => CoreJsonContext.Default.BuildKitOIDCConfig;

    public static JsonTypeInfo<KubernetesList<BuildKitOIDCConfig>> ListJsonTypeInfo => CoreJsonContext.Default.KubernetesListBuildKitOIDCConfig;

    [JsonPropertyName("spec")]
    public BuildKitOIDCConfigSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public BuildKitOIDCConfigStatus? Status { get; set; }
}
