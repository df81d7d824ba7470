using System.Security.Cryptography.X509Certificates;
using BuildKitController.Kubernetes.Authentication;

namespace BuildKitController.Kubernetes.Configuration;

/// <summary>Where the API server is and how to authenticate to it: the result of reading a kubeconfig or the in-cluster environment.</summary>
public sealed record KubernetesClientConfiguration
{
    /// <summary>The API server URL, e.g. <c>https://10.96.0.1:443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>Certificates that may anchor the server's chain. Empty means the system trust store.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    /// <summary>Skip server certificate verification (kubeconfig <c>insecure-skip-tls-verify</c>). Never the default.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Server name to verify instead of the URL host (kubeconfig <c>tls-server-name</c>).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Client certificate with its private key, for mTLS authentication.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Bearer token source (static token or a token file that is re-read when it rotates).</summary>
    public ITokenSource? Token { get; init; }

    /// <summary>Default namespace: the context's namespace, the in-cluster namespace file, or <c>default</c>.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Reads the configuration the way controller-runtime does: an explicit kubeconfig path,
    /// then <c>KUBECONFIG</c>, then the in-cluster service account, then <c>~/.kube/config</c>.</summary>
    public static KubernetesClientConfiguration Load(string? kubeconfigPath = null, string? context = null, TimeProvider? timeProvider = null)
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return KubeconfigLoader.LoadFromFiles([kubeconfigPath], context, timeProvider);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return KubeconfigLoader.LoadFromFiles(KubeconfigLoader.SplitPathList(fromEnvironment), context, timeProvider);
        }

        if (InClusterConfiguration.IsAvailable())
        {
            return InClusterConfiguration.Load(timeProvider: timeProvider);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultPath = Path.Combine(home, ".kube", "config");
        return File.Exists(defaultPath)
            ? KubeconfigLoader.LoadFromFiles([defaultPath], context, timeProvider)
            : throw new KubernetesConfigurationException(
                "no Kubernetes configuration found: set KUBECONFIG, pass --kubeconfig, run in a pod, or create ~/.kube/config");
    }
}
