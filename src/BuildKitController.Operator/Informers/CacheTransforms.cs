using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Operator.Informers;

/// <summary>
/// What the controller keeps of the objects it only observes (informer transforms). At 1,000 pools the caches hold
/// 10,000 worker pods and thousands of owned objects; decoded whole, a pod alone is ~20 KB of managed memory. The
/// reconcilers read these objects' metadata (applied-hash annotation, resourceVersion, owner, deletion) and a few
/// status fields, and write them only by server-side apply of a freshly built object or by delete, never by
/// updating a cached copy, so everything else is dropped before it is cached.
/// </summary>
internal static class CacheTransforms
{
    private static StringPool Strings => StringPool.Shared;

    /// <summary>A worker pod: metadata and the status fields the worker phase is derived from.</summary>
    public static Pod WorkerPod(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = pod.Status;
        return new Pod
        {
            Metadata = pod.Metadata,
            Status = status is null ? null : new PodStatus
            {
                Phase = Strings.Get(status.Phase),
                Reason = Strings.Get(status.Reason),
                Message = status.Message,
                PodIP = status.PodIP,
                Conditions = status.Conditions?.ConvertAll(c => c with
                {
                    Type = Strings.Get(c.Type),
                    Status = Strings.Get(c.Status),
                    Reason = Strings.Get(c.Reason),
                    ExtensionData = null,
                }),
            },
        };
    }

    /// <summary>A gateway Deployment: metadata and status (replica counts for the pool status).</summary>
    public static Deployment GatewayDeployment(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return new Deployment { Metadata = deployment.Metadata, Status = deployment.Status };
    }

    /// <summary>An owned object only ever compared by its applied hash and resourceVersion, or deleted.</summary>
    public static T MetadataOnly<T>(T value)
        where T : KubernetesObject, new()
    {
        ArgumentNullException.ThrowIfNull(value);
        return new T { Metadata = value.Metadata };
    }
}
