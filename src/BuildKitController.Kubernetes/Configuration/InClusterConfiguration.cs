using System.Security.Cryptography.X509Certificates;
using BuildKitController.Kubernetes.Authentication;

namespace BuildKitController.Kubernetes.Configuration;

/// <summary>
/// The in-cluster configuration: <c>KUBERNETES_SERVICE_HOST</c>/<c>KUBERNETES_SERVICE_PORT</c> and the projected
/// service-account files. The token file is re-read when the kubelet rotates it.
/// </summary>
public static class InClusterConfiguration
{
    /// <summary>Where the kubelet mounts the service-account token, CA and namespace.</summary>
    public const string DefaultServiceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(string serviceAccountPath = DefaultServiceAccountPath) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"))
        && File.Exists(Path.Combine(serviceAccountPath, "token"));

    /// <summary>Builds the configuration from the environment and the service-account directory.</summary>
    public static KubernetesClientConfiguration Load(
        string serviceAccountPath = DefaultServiceAccountPath,
        Func<string, string?>? environment = null,
        TimeProvider? timeProvider = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubernetesConfigurationException("not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        var tokenPath = Path.Combine(serviceAccountPath, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubernetesConfigurationException($"service-account token file {tokenPath} does not exist");
        }

        // IPv6 service addresses need brackets in a URL.
        var hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        var authorities = new X509Certificate2Collection();
        var caPath = Path.Combine(serviceAccountPath, "ca.crt");
        if (File.Exists(caPath))
        {
            authorities.ImportFromPemFile(caPath);
        }

        var namespacePath = Path.Combine(serviceAccountPath, "namespace");
        var ns = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "default";

        return new KubernetesClientConfiguration
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            CertificateAuthorities = authorities,
            Token = new FileTokenSource(tokenPath, timeProvider ?? TimeProvider.System),
            Namespace = ns.Length == 0 ? "default" : ns,
        };
    }
}
