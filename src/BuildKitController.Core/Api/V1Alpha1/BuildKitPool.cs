using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>
/// A pool of BuildKit workers behind one TLS gateway (<c>buildkitpools.buildkit.smrt-devops.net</c>, namespaced,
/// with a status subresource).
/// </summary>
public sealed record BuildKitPool() : KubernetesObject(BuildKitApi.ApiVersion, "BuildKitPool"), IKubernetesResource<BuildKitPool>
{
    public static ResourceType Resource { get; } = new(BuildKitApi.Group, BuildKitApi.Version, "buildkitpools", "BuildKitPool");

    public static JsonTypeInfo<BuildKitPool> JsonTypeInfo => CoreJsonContext.Default.BuildKitPool;

    public static JsonTypeInfo<KubernetesList<BuildKitPool>> ListJsonTypeInfo => CoreJsonContext.Default.KubernetesListBuildKitPool;

    [JsonPropertyName("spec")]
    public BuildKitPoolSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public BuildKitPoolStatus? Status { get; set; }
}
