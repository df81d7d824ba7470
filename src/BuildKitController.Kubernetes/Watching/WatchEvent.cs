using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Watching;

/// <summary>One watch event. For <see cref="WatchEventType.Bookmark"/> only <c>metadata.resourceVersion</c> of the object is meaningful.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object)
    where T : class, IKubernetesObject
{
    public string? ResourceVersion => Object.Metadata.ResourceVersion;
}
