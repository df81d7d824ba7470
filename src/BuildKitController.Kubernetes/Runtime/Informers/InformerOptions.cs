namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>What an informer watches. Scope it (namespace, label selector) so the process only caches objects it owns.</summary>
public sealed record InformerOptions
{
    /// <summary>A namespace, or <c>null</c> for all namespaces (and for cluster-scoped kinds).</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Re-deliver every cached object as an update this often (<c>null</c>: never).</summary>
    public TimeSpan? ResyncPeriod { get; init; }

    /// <summary>Page size of the initial and recovery lists.</summary>
    public long PageSize { get; init; } = 500;

    /// <summary>Backoff after a failed list or a watch that cannot resume: starts here and doubles to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Keep <c>metadata.managedFields</c> in cached objects. Off by default: they are about half of a typical object's
    /// JSON, nothing reads them from a cache, and an update of a cached object without them leaves the server's
    /// managedFields unchanged.
    /// </summary>
    public bool KeepManagedFields { get; init; }

    /// <summary>
    /// Keep each object's own copies of its metadata strings. Off by default: namespaces, label and annotation keys,
    /// short label and annotation values, kinds, owner names and finalizers point at one shared instance
    /// (<see cref="StringPool.Shared"/>), which at 30,000 cached objects saves tens of megabytes.
    /// </summary>
    public bool KeepOwnStrings { get; init; }

    /// <summary>Server-side watch timeout; <c>null</c> lets the client pick 5–10 minutes.</summary>
    public TimeSpan? WatchTimeout { get; init; }
}
