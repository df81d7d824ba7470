namespace BuildKitController.Operator.Naming;

/// <summary>Label and annotation keys of the compatibility contract (upstream §1.2) and the autoscaler opt-outs.</summary>
internal static class Labels
{
    public const string Pool = "buildkit.smrt-devops.net/pool";
    public const string Purpose = "buildkit.smrt-devops.net/purpose";
    public const string Worker = "buildkit.smrt-devops.net/worker";

    /// <summary>
    /// On an allocated worker: the first 63 characters of its token hash (a label value's limit), so a replica whose
    /// cache has not seen an allocation yet can find it with one label-selected read.
    /// </summary>
    public const string TokenHash = "buildkit.smrt-devops.net/token-hash";

    /// <summary>The <see cref="TokenHash"/> label value for a token hash.</summary>
    public static string TokenHashValue(string tokenHash) => tokenHash.Length > 63 ? tokenHash[..63] : tokenHash;
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Component = "app.kubernetes.io/component";

    public const string ManagerName = "buildkit-controller";

    /// <summary>Karpenter: never voluntarily disrupt this pod.</summary>
    public const string KarpenterDoNotDisrupt = "karpenter.sh/do-not-disrupt";

    /// <summary>Cluster autoscaler: do not evict this pod to scale a node down.</summary>
    public const string ClusterAutoscalerSafeToEvict = "cluster-autoscaler.kubernetes.io/safe-to-evict";
}
