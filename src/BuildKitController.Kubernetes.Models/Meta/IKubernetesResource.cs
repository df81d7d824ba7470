using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models;

/// <summary>
/// A model that knows where it lives on the API server and how it is serialized, so clients can be
/// generic without reflection (AOT-clean).
/// </summary>
public interface IKubernetesResource<TSelf> : IKubernetesObject
    where TSelf : class, IKubernetesResource<TSelf>
{
    static abstract ResourceType Resource { get; }

    static abstract JsonTypeInfo<TSelf> JsonTypeInfo { get; }

    static abstract JsonTypeInfo<KubernetesList<TSelf>> ListJsonTypeInfo { get; }
}
