using System.Security.Cryptography.X509Certificates;
using System.Text;
using BuildKitController.Kubernetes.Authentication;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BuildKitController.Kubernetes.Configuration;

/// <summary>
/// Reads kubeconfig files with kubectl's merge rules: for each named cluster, user and context the first file
/// that defines it wins, and so does the first <c>current-context</c>. Relative file paths resolve against the
/// file that names them.
/// </summary>
public static class KubeconfigLoader
{
    /// <summary>Splits a <c>KUBECONFIG</c> value on the platform path separator, dropping empty entries.</summary>
    public static IReadOnlyList<string> SplitPathList(string value) =>
        value.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Loads and merges the given files (missing files are skipped, as kubectl does) and resolves a context.</summary>
    public static KubernetesClientConfiguration LoadFromFiles(IEnumerable<string> paths, string? context = null, TimeProvider? timeProvider = null)
    {
        var merged = new Kubeconfig();
        var any = false;
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                continue;
            }

            any = true;
            merged.MergeFrom(Parse(File.ReadAllText(path), System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "."));
        }

        return any
            ? Resolve(merged, context, timeProvider ?? TimeProvider.System)
            : throw new KubernetesConfigurationException("none of the kubeconfig files exist: " + string.Join(", ", paths));
    }

    /// <summary>Parses one kubeconfig document; <paramref name="baseDirectory"/> anchors relative paths.</summary>
    public static KubernetesClientConfiguration LoadFromString(string yaml, string? context = null, string? baseDirectory = null, TimeProvider? timeProvider = null) =>
        Resolve(Parse(yaml, baseDirectory ?? Environment.CurrentDirectory), context, timeProvider ?? TimeProvider.System);

    internal static Kubeconfig Parse(string yaml, string baseDirectory)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new KubernetesConfigurationException($"kubeconfig is not valid YAML: {ex.Message}", ex);
        }

        var config = new Kubeconfig();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return config;
        }

        config.CurrentContext = Scalar(root, "current-context");
        foreach (var (name, body) in NamedEntries(root, "clusters", "cluster"))
        {
            config.Clusters.TryAdd(name, new KubeconfigCluster(
                Server: Scalar(body, "server"),
                CertificateAuthority: ResolvePath(Scalar(body, "certificate-authority"), baseDirectory),
                CertificateAuthorityData: Scalar(body, "certificate-authority-data"),
                InsecureSkipTlsVerify: string.Equals(Scalar(body, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
                TlsServerName: Scalar(body, "tls-server-name")));
        }

        foreach (var (name, body) in NamedEntries(root, "users", "user"))
        {
            config.Users.TryAdd(name, new KubeconfigUser(
                Token: Scalar(body, "token"),
                TokenFile: ResolvePath(Scalar(body, "tokenFile"), baseDirectory),
                ClientCertificate: ResolvePath(Scalar(body, "client-certificate"), baseDirectory),
                ClientCertificateData: Scalar(body, "client-certificate-data"),
                ClientKey: ResolvePath(Scalar(body, "client-key"), baseDirectory),
                ClientKeyData: Scalar(body, "client-key-data"),
                HasExec: body.Children.ContainsKey(new YamlScalarNode("exec")),
                HasAuthProvider: body.Children.ContainsKey(new YamlScalarNode("auth-provider")),
                HasBasicAuth: Scalar(body, "username") is not null));
        }

        foreach (var (name, body) in NamedEntries(root, "contexts", "context"))
        {
            config.Contexts.TryAdd(name, new KubeconfigContext(Scalar(body, "cluster"), Scalar(body, "user"), Scalar(body, "namespace")));
        }

        return config;
    }

    private static KubernetesClientConfiguration Resolve(Kubeconfig config, string? contextName, TimeProvider timeProvider)
    {
        contextName ??= config.CurrentContext;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubernetesConfigurationException("kubeconfig has no current-context and none was requested");
        }

        if (!config.Contexts.TryGetValue(contextName, out var context))
        {
            throw new KubernetesConfigurationException($"kubeconfig has no context named '{contextName}'");
        }

        if (context.Cluster is null || !config.Clusters.TryGetValue(context.Cluster, out var cluster))
        {
            throw new KubernetesConfigurationException($"context '{contextName}' names cluster '{context.Cluster}', which is not defined");
        }

        if (string.IsNullOrEmpty(cluster.Server) || !Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server))
        {
            throw new KubernetesConfigurationException($"cluster '{context.Cluster}' has no valid server URL");
        }

        var user = context.User is not null && config.Users.TryGetValue(context.User, out var found) ? found : KubeconfigUser.Anonymous;
        if (user.HasExec || user.HasAuthProvider)
        {
            throw new KubernetesConfigurationException(
                $"user '{context.User}' uses an exec or auth-provider plugin, which this client does not run; use a token, token file or client certificate");
        }

        if (user.HasBasicAuth)
        {
            throw new KubernetesConfigurationException($"user '{context.User}' uses basic authentication, which Kubernetes no longer supports");
        }

        return new KubernetesClientConfiguration
        {
            Server = server,
            CertificateAuthorities = LoadAuthorities(cluster),
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = cluster.TlsServerName,
            ClientCertificate = LoadClientCertificate(user),
            Token = user.Token is { Length: > 0 } token ? new StaticTokenSource(token)
                : user.TokenFile is { Length: > 0 } tokenFile ? new FileTokenSource(tokenFile, timeProvider)
                : null,
            Namespace = string.IsNullOrEmpty(context.Namespace) ? "default" : context.Namespace,
        };
    }

    private static X509Certificate2Collection LoadAuthorities(KubeconfigCluster cluster)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            if (cluster.CertificateAuthorityData is { Length: > 0 } data)
            {
                authorities.ImportFromPem(DecodeBase64(data, "certificate-authority-data"));
            }
            else if (cluster.CertificateAuthority is { Length: > 0 } file)
            {
                authorities.ImportFromPemFile(file);
            }
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new KubernetesConfigurationException($"cannot read the cluster CA: {ex.Message}", ex);
        }

        return authorities;
    }

    private static X509Certificate2? LoadClientCertificate(KubeconfigUser user)
    {
        try
        {
            var certificatePem = user.ClientCertificateData is { Length: > 0 } certData ? DecodeBase64(certData, "client-certificate-data")
                : user.ClientCertificate is { Length: > 0 } certFile ? File.ReadAllText(certFile)
                : null;
            var keyPem = user.ClientKeyData is { Length: > 0 } keyData ? DecodeBase64(keyData, "client-key-data")
                : user.ClientKey is { Length: > 0 } keyFile ? File.ReadAllText(keyFile)
                : null;
            if (certificatePem is null && keyPem is null)
            {
                return null;
            }

            if (certificatePem is null || keyPem is null)
            {
                throw new KubernetesConfigurationException("a client certificate needs both the certificate and its key");
            }

            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new KubernetesConfigurationException($"cannot load the client certificate: {ex.Message}", ex);
        }
    }

    private static string DecodeBase64(string value, string field)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException ex)
        {
            throw new KubernetesConfigurationException($"{field} is not valid base64", ex);
        }
    }

    private static string? ResolvePath(string? path, string baseDirectory) =>
        string.IsNullOrEmpty(path) ? null
        : System.IO.Path.IsPathRooted(path) ? path
        : System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, path));

    private static IEnumerable<(string Name, YamlMappingNode Body)> NamedEntries(YamlMappingNode root, string listKey, string bodyKey)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) || list is not YamlSequenceNode sequence)
        {
            yield break;
        }

        foreach (var item in sequence.Children.OfType<YamlMappingNode>())
        {
            if (Scalar(item, "name") is { Length: > 0 } name
                && item.Children.TryGetValue(new YamlScalarNode(bodyKey), out var body)
                && body is YamlMappingNode mapping)
            {
                yield return (name, mapping);
            }
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
