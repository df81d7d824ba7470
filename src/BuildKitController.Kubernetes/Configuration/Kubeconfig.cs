namespace BuildKitController.Kubernetes.Configuration;

/// <summary>The parts of a kubeconfig this client understands, merged across files.</summary>
internal sealed class Kubeconfig
{
    public string? CurrentContext { get; set; }

    public Dictionary<string, KubeconfigCluster> Clusters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, KubeconfigUser> Users { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, KubeconfigContext> Contexts { get; } = new(StringComparer.Ordinal);

    /// <summary>kubectl's rule: what is already set wins.</summary>
    public void MergeFrom(Kubeconfig other)
    {
        CurrentContext ??= string.IsNullOrEmpty(other.CurrentContext) ? null : other.CurrentContext;
        foreach (var (name, cluster) in other.Clusters)
        {
            Clusters.TryAdd(name, cluster);
        }

        foreach (var (name, user) in other.Users)
        {
            Users.TryAdd(name, user);
        }

        foreach (var (name, context) in other.Contexts)
        {
            Contexts.TryAdd(name, context);
        }
    }
}

internal sealed record KubeconfigCluster(
    string? Server,
    string? CertificateAuthority,
    string? CertificateAuthorityData,
    bool InsecureSkipTlsVerify,
    string? TlsServerName);

internal sealed record KubeconfigUser(
    string? Token,
    string? TokenFile,
    string? ClientCertificate,
    string? ClientCertificateData,
    string? ClientKey,
    string? ClientKeyData,
    bool HasExec,
    bool HasAuthProvider,
    bool HasBasicAuth)
{
    public static KubeconfigUser Anonymous { get; } = new(null, null, null, null, null, null, false, false, false);

    // Never print credentials.
    public override string ToString() => "KubeconfigUser(<redacted>)";
}

internal sealed record KubeconfigContext(string? Cluster, string? User, string? Namespace);
