using System.Text.Json;
using System.Text.Json.Serialization;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Core.Serialization;

/// <summary>
/// Source-generated serialization for the BuildKit custom resources, with the options of the built-in models: null
/// members are omitted (Go's <c>omitempty</c>), names are camelCase, unknown members survive in extension data.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(BuildKitPool))]
[JsonSerializable(typeof(KubernetesList<BuildKitPool>))]
[JsonSerializable(typeof(BuildKitWorker))]
[JsonSerializable(typeof(KubernetesList<BuildKitWorker>))]
[JsonSerializable(typeof(BuildKitOIDCConfig))]
[JsonSerializable(typeof(KubernetesList<BuildKitOIDCConfig>))]
[JsonSerializable(typeof(BuildKitPoolSpec))]
[JsonSerializable(typeof(BuildKitPoolStatus))]
[JsonSerializable(typeof(BuildKitWorkerSpec))]
[JsonSerializable(typeof(BuildKitWorkerStatus))]
[JsonSerializable(typeof(BuildKitOIDCConfigSpec))]
[JsonSerializable(typeof(BuildKitOIDCConfigStatus))]
[JsonSerializable(typeof(AuthMethod))]
[JsonSerializable(typeof(List<AuthMethod>))]
[JsonSerializable(typeof(ResourceRequirements))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
