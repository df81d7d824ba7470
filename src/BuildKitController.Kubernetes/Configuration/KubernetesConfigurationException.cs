namespace BuildKitController.Kubernetes.Configuration;

/// <summary>The kubeconfig or in-cluster environment is missing, malformed or asks for something unsupported.</summary>
public sealed class KubernetesConfigurationException : Exception
{
    public KubernetesConfigurationException()
    {
    }

    public KubernetesConfigurationException(string message)
        : base(message)
    {
    }

    public KubernetesConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
