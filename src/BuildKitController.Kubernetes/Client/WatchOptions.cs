namespace BuildKitController.Kubernetes.Client;

/// <summary>Options of a watch.</summary>
public sealed record WatchOptions
{
    /// <summary>Start after this version. Empty or <c>"0"</c>: the server first sends ADDED for every current object.</summary>
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Ask for BOOKMARK events so the stream can resume close to where it ended.</summary>
    public bool AllowBookmarks { get; init; } = true;

    /// <summary>Server-side stream lifetime; by default a random 5–10 minutes, as client-go does.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Reconnect transparently, from the last seen resourceVersion, when the server ends the stream or the
    /// connection drops. A version the server no longer has still ends the watch with <c>KubernetesGoneException</c>.
    /// </summary>
    public bool Resume { get; init; } = true;
}
