using System.Text.Json;
using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models.ApiExtensionsV1;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.AuthorizationV1;
using BuildKitController.Kubernetes.Models.CoordinationV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Kubernetes.Models.RbacV1;

namespace BuildKitController.Kubernetes.Models;

/// <summary>
/// Source-generated serialization for the built-in kinds. Null members are omitted, as Go's
/// <c>omitempty</c> does, so apply patches only carry the fields we mean to own.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(DeleteOptions))]
[JsonSerializable(typeof(ObjectMeta))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubernetesList<Pod>))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(KubernetesList<Service>))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubernetesList<Secret>))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(KubernetesList<ConfigMap>))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(KubernetesList<ServiceAccount>))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubernetesList<Namespace>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubernetesList<Event>))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(KubernetesList<Deployment>))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubernetesList<Lease>))]
[JsonSerializable(typeof(NetworkPolicy))]
[JsonSerializable(typeof(KubernetesList<NetworkPolicy>))]
[JsonSerializable(typeof(Ingress))]
[JsonSerializable(typeof(KubernetesList<Ingress>))]
[JsonSerializable(typeof(PodDisruptionBudget))]
[JsonSerializable(typeof(KubernetesList<PodDisruptionBudget>))]
[JsonSerializable(typeof(Role))]
[JsonSerializable(typeof(KubernetesList<Role>))]
[JsonSerializable(typeof(RoleBinding))]
[JsonSerializable(typeof(KubernetesList<RoleBinding>))]
[JsonSerializable(typeof(TokenReview))]
[JsonSerializable(typeof(KubernetesList<TokenReview>))]
[JsonSerializable(typeof(SubjectAccessReview))]
[JsonSerializable(typeof(KubernetesList<SubjectAccessReview>))]
[JsonSerializable(typeof(CustomResourceDefinition))]
[JsonSerializable(typeof(KubernetesList<CustomResourceDefinition>))]
public sealed partial class KubernetesModelsJsonContext : JsonSerializerContext;
