namespace BuildKitController.Kubernetes.Models;

/// <summary>An object with <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>.</summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }

    ObjectMeta Metadata { get; set; }
}
