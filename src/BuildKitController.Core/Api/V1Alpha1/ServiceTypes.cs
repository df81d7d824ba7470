namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Kubernetes Service types a pool gateway can use.</summary>
public static class ServiceTypes
{
    public const string ClusterIP = "ClusterIP";
    public const string LoadBalancer = "LoadBalancer";
    public const string NodePort = "NodePort";

    public static IReadOnlyList<string> All { get; } = [ClusterIP, LoadBalancer, NodePort];
}
