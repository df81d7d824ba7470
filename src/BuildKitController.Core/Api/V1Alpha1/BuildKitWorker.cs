using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>
/// One BuildKit worker pod of a pool (<c>buildkitworkers.buildkit.smrt-devops.net</c>, namespaced, with a status
/// subresource and the finalizer <see cref="Finalizer"/>).
/// </summary>
public sealed record BuildKitWorker() : KubernetesObject(BuildKitApi.ApiVersion, "BuildKitWorker"), IKubernetesResource<BuildKitWorker>
{
    /// <summary>Finalizer that deletes the worker pod before the worker goes away.</summary>
    public const string Finalizer = "buildkit.smrt-devops.net/worker-finalizer";

    public static ResourceType Resource { get; } = new(BuildKitApi.Group, BuildKitApi.Version, "buildkitworkers", "BuildKitWorker");

    public static JsonTypeInfo<BuildKitWorker> JsonTypeInfo => CoreJsonContext.Default.BuildKitWorker;

    public static JsonTypeInfo<KubernetesList<BuildKitWorker>> ListJsonTypeInfo => CoreJsonContext.Default.KubernetesListBuildKitWorker;

    [JsonPropertyName("spec")]
    public BuildKitWorkerSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public BuildKitWorkerStatus? Status { get; set; }
}
